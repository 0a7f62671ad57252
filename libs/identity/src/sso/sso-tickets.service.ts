import { Injectable } from '@nestjs/common';
import { AuditService, Clock, Db, Secrets } from '@app/core';
import { SsoErrors } from '../errors';
import { UsersRepository } from '../users/users.repository';
import type { RequestMeta } from '../auth/auth.service';
import { MfaTokens } from '../auth/mfa-tokens';
import { SessionsService, TokenPair } from '../auth/sessions.service';
import { assertActive } from '../auth/sign-in-rules';
import { SsoRepository } from './sso.repository';

export type SsoExchange = TokenPair | { mfaToken: string; next: 'enroll' | 'verify' };

/**
 * R-SSO the console trades the callback's ticket, once: a session at once when the provider asked a second factor
 * (amr/acr), otherwise Prestagate's own TOTP step, as after a password. Audited with the method either way.
 */
@Injectable()
export class SsoTicketsService {
  constructor(
    private readonly db: Db,
    private readonly repo: SsoRepository,
    private readonly secrets: Secrets,
    private readonly clock: Clock,
    private readonly users: UsersRepository,
    private readonly mfa: MfaTokens,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
  ) {}

  exchange(ticket: string, browserProof: string, meta: RequestMeta): Promise<SsoExchange> {
    return this.db.transaction(async () => {
      // The conditional delete is the claim: of parallel exchanges of one ticket, one gets the row, the others nothing;
      // a ticket sent to another browser (login CSRF) lacks that browser's proof and finds nothing either.
      const taken = await this.repo.takeTicket(this.secrets.lookupHash(ticket), this.secrets.lookupHash(browserProof), this.clock.now());
      const user = taken ? await this.users.findById(taken.userId) : null;
      if (!taken || !user) throw SsoErrors.error('SSO_TICKET_INVALID');
      assertActive(user);
      const answer: SsoExchange = taken.providerMfa
        ? await this.sessions.open(user.id, meta, taken.tenantId)
        : { mfaToken: await this.mfa.issue(user.id), next: user.totpEnabledAt ? 'verify' : 'enroll' };
      await this.audit.record({
        tenantId: taken.tenantId, actor: { type: 'user', id: user.id, label: user.email },
        action: taken.providerMfa ? 'user.signed_in' : 'user.sso_authenticated', targetType: 'user', targetId: user.id,
        after: { method: 'sso', secondFactor: taken.providerMfa ? 'provider' : 'totp', ...taken.claims, ip: meta.ip ?? null },
      });
      return answer;
    });
  }
}
