import type { Intervention, Report } from './views';

/** How a window was decided, reviewed after the fact (an emergency) or closed: the contractor hears it. */
export type WindowOutcome = 'approved' | 'rejected' | 'confirmed' | 'challenged' | 'cancelled';

declare module '@app/core' {
  interface DomainEventMap {
    /** R-ART36: a window was requested, or an emergency declared (then it is approved at once). */
    'intervention.requested': { tenantId: string; window: Intervention };
    /** R-ART36: a window was decided, an emergency confirmed or challenged, or a window cancelled. */
    'intervention.decided': { tenantId: string; window: Intervention; outcome: WindowOutcome; reason: string | null };
    /** R-ART36: the first allowed access about the present started the window. */
    'intervention.started': {
      tenantId: string; interventionId: string; contractorId: string; nature: string; accountId: string; resourceId: string; at: Date;
    };
    /** R-ART42: a report, or a correction of it, was filed. */
    'report.filed': { tenantId: string; window: Intervention; report: Report };
  }
}
