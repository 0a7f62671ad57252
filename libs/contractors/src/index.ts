import './events';

export { ContractorsModule, ContractorsWorkerModule } from './contractors.module';
export { ContractorAccess, type ContractorNeed } from './contractor-access';
export { ContractorsService, type AdministrativeChange, type ContractorStanding, type CreateContractor } from './contractors.service';
export { ContactsService } from './contacts.service';
export { PrestationsService, type CreatePrestation, type UploadedFile } from './prestations.service';
export { Directory } from './directory';
export { ContractorErrors } from './errors';
export { isValidSiret, normaliseSiret } from './siret';
export type {
  AccessMode, ChangeKind, ContactPerson, ContactRole, ContactsDeclaration, Recipient, RunningPrestation, Visibility,
} from './types';
export { ChangeView, ContactView, contractorListKey, ContractorView, PrestationView } from './views';
