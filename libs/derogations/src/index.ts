export * from './derogations.module';
export * from './derogations.service';
