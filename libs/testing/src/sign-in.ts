import type { INestApplicationContext } from '@nestjs/common';
import type TestAgent from 'supertest/lib/agent';
import { ManualClock, Secrets } from '@app/core';

export const TEST_PASSWORD = 'Correct-Horse-Battery-42';

export interface SignedIn {
  userId: string;
  email: string;
  accessToken: string;
  refreshToken: string;
  totpSecret: string;
  auth: { Authorization: string };
}

/** What signing in through the API takes of the test's context. */
export interface SignInHost {
  readonly clock: ManualClock;
  readonly http: TestAgent;
  readonly api: Pick<INestApplicationContext, 'get'>;
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  totp(secret: string): Promise<string>;
}

/** Everyone signed in through the API by a test file, with their password: the clients whose tokens move with the clock. */
export class SignIns {
  private readonly people = new Map<SignedIn, string>();

  constructor(private readonly ctx: SignInHost) {}

  /** Password then TOTP (enrolling it the first time, or with the enrolment link of a TOTP reset: R-ART28). */
  async signIn(email: string, password: string, enrolmentLink?: string): Promise<SignedIn> {
    this.ctx.clock.advance(30_000); // a fresh TOTP step: a code is never accepted twice
    const person = (await this.authenticate(email, password, false, enrolmentLink))!;
    this.people.set(person, password);
    return person;
  }

  /**
   * What a client does with an expired access token: refresh it while its session lasts, sign in again once the
   * session is over. A revoked session, or one whose current refresh token the test spent itself, is left alone.
   */
  async renewExpiredTokens(): Promise<void> {
    for (const [person, password] of this.people) {
      const now = this.ctx.clock.now();
      const claims = claimsOf(person.accessToken);
      if (claims.exp > Math.floor(now.getTime() / 1000)) continue;
      const [session] = await this.ctx.query<{ revoked: boolean; ended: boolean; current: boolean }>(
        `SELECT s.revoked_at IS NOT NULL AS revoked, s.expires_at <= $2 AS ended,
                EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.session_id = s.id AND t.token_hash = $3 AND t.used_at IS NULL) AS current
           FROM auth_sessions s WHERE s.id = $1`,
        [claims.sid, now, this.ctx.api.get(Secrets).lookupHash(person.refreshToken)],
      );
      if (!session || session.revoked || !session.current) continue;
      if (!session.ended) {
        const refreshed = await this.ctx.http.post('/v1/auth/refresh').send({ refreshToken: person.refreshToken }).expect(200);
        adopt(person, refreshed.body);
        continue;
      }
      // The session's lifetime is over: a new sign-in, on a TOTP step this person has not used yet
      // (the next one if they signed in during this one; none if the test moved the clock back).
      const sql = `SELECT i.totp_last_step AS step FROM users u JOIN identities i ON i.id = u.identity_id WHERE u.id = $1`;
      const [user] = await this.ctx.query<{ step: string | null }>(sql, [person.userId]);
      const step = Math.floor(now.getTime() / 30_000);
      if (user?.step != null && Number(user.step) > step) continue;
      if (user?.step != null && Number(user.step) === step) this.ctx.clock.advance(30_000);
      // Refused (suspended, deactivated, locked...): the person stays signed out, as they would.
      const again = await this.authenticate(person.email, password, true);
      if (again) adopt(person, again);
    }
  }

  /** Password then TOTP; undefined when the password step is refused and `mayBeRefused`. */
  private async authenticate(
    email: string, password: string, mayBeRefused: boolean, enrolmentLink?: string,
  ): Promise<SignedIn | undefined> {
    const { http } = this.ctx;
    const attempt = http.post('/v1/auth/login').send({ email, password });
    const login = mayBeRefused ? await attempt : await attempt.expect(200);
    if (login.status !== 200) return undefined;
    const { mfaToken, next } = login.body;
    let secret: string;
    let tokens: { accessToken: string; refreshToken: string };
    if (next === 'enroll') {
      const enroll = await http.post('/v1/auth/mfa/enroll').send({ mfaToken, enrolmentLink }).expect(200);
      secret = enroll.body.secret;
      const confirm = await http.post('/v1/auth/mfa/enroll/confirm').send({ mfaToken, code: await this.ctx.totp(secret) }).expect(200);
      tokens = confirm.body;
    } else {
      const sql = `SELECT totp_secret_enc FROM identities WHERE lower(email) = lower($1)`;
      const [row] = await this.ctx.query<{ totp_secret_enc: string }>(sql, [email]);
      secret = this.ctx.api.get(Secrets).decrypt(row.totp_secret_enc);
      const verify = await http.post('/v1/auth/mfa/verify').send({ mfaToken, code: await this.ctx.totp(secret) }).expect(200);
      tokens = verify.body;
    }
    const me = await http.get('/v1/me').set('Authorization', `Bearer ${tokens.accessToken}`).expect(200);
    return {
      userId: me.body.id, email, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, totpSecret: secret,
      auth: { Authorization: `Bearer ${tokens.accessToken}` },
    };
  }
}

/** The claims of an access token, read like a client reads its expiry (the signature is the API's business). */
function claimsOf(accessToken: string): { sid: string; exp: number } {
  return JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString('utf8'));
}

/** New tokens for the same person, in the same objects: tests keep the references they hold. */
function adopt(person: SignedIn, tokens: { accessToken: string; refreshToken: string }): void {
  person.accessToken = tokens.accessToken;
  person.refreshToken = tokens.refreshToken;
  person.auth.Authorization = `Bearer ${tokens.accessToken}`;
}
