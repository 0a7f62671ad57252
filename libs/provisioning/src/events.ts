import type { DriftKind } from './types';

/** What the provisioning library announces (R-PROV); ProvisioningNotifications mails it. */
declare module '@app/core' {
  interface DomainEventMap {
    /** R-PROV the directory refused a change for an account (not a network failure): the DSI is told. */
    'directory.refused': { tenantId: string; accountId: string; person: string; message: string };
    /** R-PROV reconciliation found new drift; `corrected` when the establishment chose automatic correction. */
    'directory.drift_found': { tenantId: string; drifts: { kind: DriftKind; dn: string; groupDn: string }[]; corrected: boolean };
  }
}

export {};
