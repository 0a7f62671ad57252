import type { IsoDate } from '@app/core';
import type { SuspensionKind } from './entities';

/** What the accounts library announces once a change is made; AccountNotifications mails and publishes it. */
declare module '@app/core' {
  interface DomainEventMap {
    /** R-ART35 / R-ART10 / R-ART34: an account was deactivated; its future windows must be cancelled. */
    'account.deactivated': { tenantId: string; contractorId: string; accountId: string; reason: string };
    /** R-ART28: an account was suspended (DSI, absence, inactivity, incident, review). */
    'account.suspended': { tenantId: string; accountId: string; kind: SuspensionKind; reason: string; resumeOn: IsoDate | null };
    /** R-ART28 R-PROV: an account became active (its last requirement was met). */
    'account.activated': { tenantId: string; accountId: string };
    /** R-ART31 R-ART34 R-PROV: a habilitation was decided, revoked or changed by a review. */
    'habilitation.changed': { tenantId: string; accountId: string; habilitationId: string };
    /** R-ART28: a suspended account came back (to `active`, or `approved` while not ready). */
    'account.resumed': { tenantId: string; accountId: string; status: 'active' | 'approved' };
    /** R-ART35 R-INT: the DSI reinstated a person who had departed. */
    'account.reinstated': { tenantId: string; accountId: string; reason: string; departedOn: IsoDate; by: string; reinstatedAt: Date };
    /** R-ART5: an incident was reported (and, for a compromise, the account suspended). */
    'incident.reported': {
      tenantId: string; incidentId: string; kind: string; description: string; contractorId: string | null; accountId: string | null;
      reporter: string; accountSuspended: boolean;
    };
  }
}
