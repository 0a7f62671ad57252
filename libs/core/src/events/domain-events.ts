import { Injectable } from '@nestjs/common';

/** Events one domain module raises and others react to, inside the same transaction. */
export interface DomainEventMap {
  /** R-ART10: a prestation ended; its accounts must be deactivated. */
  'prestation.ended': { tenantId: string; contractorId: string; prestationId: string; reason: string };
  /** R-ART35 R-INT: a contractor's declaration names a person who will sign in; a listener may refuse it (409). */
  'contractor.person_named': { tenantId: string; contractorId: string; email: string; userId: string | null };
  /** R-ART2: a signature was validated (a person's convention when accountId is set). */
  'signature.validated': { tenantId: string; contractorId: string; accountId: string | null; signatureId: string };
  /** R-ART28: a person enrolled TOTP (an approved account may become active). */
  'user.mfa_enrolled': { tenantId: string | null; userId: string };
  /** R-ART35 / R-ART10 / R-ART34: an account was deactivated; its future windows must be cancelled. */
  'account.deactivated': { tenantId: string; contractorId: string; accountId: string; reason: string };
}

type Listener<K extends keyof DomainEventMap> = (event: DomainEventMap[K]) => Promise<void>;

/**
 * A small synchronous hook registry: a listener runs in the emitter's transaction, so the
 * reaction (deactivating accounts when a prestation ends) commits or rolls back with the cause.
 */
@Injectable()
export class DomainEvents {
  private readonly listeners = new Map<keyof DomainEventMap, Listener<never>[]>();

  on<K extends keyof DomainEventMap>(name: K, listener: Listener<K>): void {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener as Listener<never>]);
  }

  async emit<K extends keyof DomainEventMap>(name: K, event: DomainEventMap[K]): Promise<void> {
    for (const listener of this.listeners.get(name) ?? []) await (listener as Listener<K>)(event);
  }
}
