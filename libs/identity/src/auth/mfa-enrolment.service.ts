import { Injectable } from '@nestjs/common';
import { AuditService, Db, DomainEvents } from '@app/core';
import { IdentityErrors } from '../errors';
import { RequestMeta } from './auth.service';
import { Lockout } from './lockout';
import { MfaEnrolmentLinks } from './mfa-enrolment-links';
import { MfaTokens } from './mfa-tokens';
import { SecondFactor } from './second-factor';
import { SessionsService, TokenPair } from './sessions.service';

/** R-ART28 TOTP is mandatory: the first sign-in (or the first after a reset) enrols it, then opens the session. */
@Injectable()
export class MfaEnrolmentService {
  constructor(
    private readonly db: Db,
    private readonly mfa: MfaTokens,
    private readonly secondFactor: SecondFactor,
    private readonly enrolmentLinks: MfaEnrolmentLinks,
    private readonly lockout: Lockout,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
  ) {}

  /** `enrolmentLink`: after a TOTP reset, the token of the link e-mailed to the person (R-ART28, MfaEnrolmentLinks). */
  async start(mfaToken: string, enrolmentLink?: string): Promise<{ secret: string; otpauthUrl: string }> {
    const { user } = await this.mfa.pendingUser(mfaToken);
    if (user.totpEnabledAt) throw IdentityErrors.error('MFA_ALREADY_ENROLLED');
    // The secret is shown here: after a reset, only to whoever also holds the e-mailed link.
    await this.enrolmentLinks.assertHeld(user.id, enrolmentLink);
    return this.secondFactor.startEnrolment(user);
  }

  async confirm(mfaToken: string, code: string, meta: RequestMeta): Promise<TokenPair & { recoveryCodes: string[] }> {
    const { user, challenge } = await this.mfa.pendingUser(mfaToken);
    if (user.totpEnabledAt) throw IdentityErrors.error('MFA_ALREADY_ENROLLED');
    if (!user.totpPendingEnc) throw IdentityErrors.error('MFA_ENROLLMENT_NOT_STARTED');
    const step = await this.secondFactor.checkPending(user, code);
    if (step === null) {
      await this.lockout.recordFailure(user, 'totp');
      throw IdentityErrors.error('INVALID_TOTP');
    }
    return this.db.transaction(async () => {
      await this.mfa.claim(challenge);
      const recoveryCodes = await this.secondFactor.completeEnrolment(user, step);
      if (!recoveryCodes) {
        throw IdentityErrors.error('MFA_ENROLLMENT_RESTARTED');
      }
      await this.enrolmentLinks.spend(user.id);
      await this.audit.record({
        tenantId: user.tenantId, actor: { type: 'user', id: user.id, label: user.email },
        action: 'user.mfa_enrolled', targetType: 'user', targetId: user.id,
      });
      await this.events.emit('user.mfa_enrolled', { tenantId: user.tenantId, userId: user.id });
      await this.mfa.spend(challenge);
      const tokens = await this.sessions.open(user.id, meta);
      return { ...tokens, recoveryCodes };
    });
  }
}
