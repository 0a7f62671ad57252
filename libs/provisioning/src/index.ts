import './events';

export { ProvisioningModule, ProvisioningWorkerModule } from './provisioning.module';
export { ConnectorService, type SaveConnector } from './connector.service';
export { DirectorySync } from './directory-sync';
export { ReconciliationService } from './reconciliation.service';
export { ProvisioningErrors } from './errors';
export { DISABLE_MODES, DRIFT_KINDS, ENTRY_STATES, TEST_STEPS } from './types';
export type { DisableMode, DriftKind, EntryState, GroupMapping, TestStep } from './types';
export {
  ConnectorStepView, ConnectorTestView, ConnectorView, DriftPage, DriftView, EntryStateView, GroupMappingView, ReconciliationView,
} from './views';
