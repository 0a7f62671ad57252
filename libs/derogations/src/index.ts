export { DerogationsModule } from './derogations.module';
export { DerogationsService } from './derogations.service';
export { DerogationErrors } from './errors';
export { DEROGATION_KINDS } from './types';
export type { CreateDerogation, Derogation, DerogationFilter, DerogationKind } from './types';
export { DerogationView } from './views';
