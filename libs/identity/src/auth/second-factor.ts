import { Injectable, Logger } from '@nestjs/common';
import { AuditService, Clock, randomToken, Secrets } from '@app/core';
import { Person } from '../entities';
import { IdentityErrors } from '../errors';
import { UsersRepository } from '../users/users.repository';
import { RecoveryCodesRepository } from './recovery-codes.repository';
import { Totp } from './totp';

const RECOVERY_CODE_COUNT = 10;
const ISSUER = 'Prestagate';

/** R-ART28 the person's second factor: the TOTP secret (sealed), its codes, and the single-use recovery codes. */
@Injectable()
export class SecondFactor {
  private readonly log = new Logger(SecondFactor.name);

  constructor(
    private readonly users: UsersRepository,
    private readonly recoveryCodes: RecoveryCodesRepository,
    private readonly totp: Totp,
    private readonly secrets: Secrets,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** A new secret, stored as the pending enrolment until a code confirms it. */
  async startEnrolment(user: Person): Promise<{ secret: string; otpauthUrl: string }> {
    const secret = this.totp.newSecret();
    await this.users.update(user.id, { totpPendingEnc: this.secrets.encrypt(secret) });
    return { secret, otpauthUrl: this.totp.uri(ISSUER, user.email, secret) };
  }

  /** The time step of a valid code of the pending secret, or null. */
  async checkPending(user: Person, code: string): Promise<number | null> {
    const check = await this.totp.check(this.secretOf(user, user.totpPendingEnc!), code, null);
    return check.valid ? check.timeStep! : null;
  }

  /** Only the enrolment this code was checked against: a reset or a restarted one meanwhile wins (null). New recovery codes. */
  async completeEnrolment(user: Person, step: number): Promise<string[] | null> {
    if (!(await this.users.completeEnrollment(user.id, user.totpPendingEnc!, step, this.clock.now()))) return null;
    await this.recoveryCodes.deleteAllOf(user.id);
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => formatRecovery(randomToken(8)));
    await this.recoveryCodes.add(user.id, codes.map((code) => this.secrets.lookupHash(normaliseRecovery(code))));
    return codes;
  }

  /** A TOTP code of the enrolled secret, newer than the last one used (the conditional update refuses replays). */
  async useTotp(user: Person, code: string): Promise<boolean> {
    const last = user.totpLastStep === null ? null : Number(user.totpLastStep);
    const check = await this.totp.check(this.secretOf(user, user.totpSecretEnc!), code, last);
    return check.valid && this.users.advanceTotpStep(user.id, check.timeStep!, user.totpSecretEnc!);
  }

  async useRecoveryCode(user: Person, code: string): Promise<boolean> {
    const used = await this.recoveryCodes.use(user.id, this.secrets.lookupHash(normaliseRecovery(code)), this.clock.now());
    if (used) {
      await this.audit.record({
        tenantId: user.tenantId, actor: { type: 'user', id: user.id, label: user.email },
        action: 'user.recovery_code_used', targetType: 'user', targetId: user.id,
      });
    }
    return used;
  }

  /** Wipes the secret, the pending enrolment and the recovery codes; answers how many codes went. */
  async wipe(userId: string): Promise<number> {
    await this.users.update(userId, { totpSecretEnc: null, totpPendingEnc: null, totpEnabledAt: null, totpLastStep: null });
    return this.recoveryCodes.deleteAllOf(userId);
  }

  /** A secret this server cannot decrypt (APP_SECRET changed, docs/operations.md "Key rotation"): 409, and an error logged. */
  private secretOf(user: Person, sealed: string): string {
    try {
      return this.secrets.decrypt(sealed);
    } catch (error) {
      this.log.error(`The TOTP secret of user ${user.id} cannot be decrypted with this server's data key: ${(error as Error).message}`);
      throw IdentityErrors.error('MFA_SECRET_UNREADABLE');
    }
  }
}

function formatRecovery(raw: string): string {
  const s = raw.replace(/[^A-Za-z0-9]/g, '').slice(0, 10).toUpperCase().padEnd(10, 'X');
  return `${s.slice(0, 5)}-${s.slice(5)}`;
}

function normaliseRecovery(code: string): string {
  return code.replace(/[^A-Za-z0-9]/g, '').toUpperCase();
}
