import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  authorizationCodeGrant, buildAuthorizationUrl, calculatePKCECodeChallenge, Configuration, IDToken, randomNonce, randomPKCECodeVerifier,
  randomState,
} from 'openid-client';
import { APP_CONFIG, AppConfig, AuditService, Clock, DomainError, randomToken, Secrets } from '@app/core';
import { Person } from '../entities';
import { SsoErrors } from '../errors';
import { UsersRepository } from '../users/users.repository';
import { assertActive, isLocked } from '../auth/sign-in-rules';
import { failedStep, openProvider } from './oidc-client';
import { ProviderRow, SsoRepository } from './sso.repository';
import { redirectUriOf, SsoSettingsService } from './sso-settings.service';
import { SsoStartView } from './sso.views';

const ATTEMPT_TTL_MS = 10 * 60_000;
const TICKET_TTL_MS = 2 * 60_000;
type SsoCode = Parameters<typeof SsoErrors.error>[0];

/** R-SSO whether the ID token says the provider asked a second factor: `amr` holds one of the values, or `acr` is one of them. */
export function providerAskedMfa(provider: Pick<ProviderRow, 'mfaClaim' | 'mfaValues'>, claims: IDToken): boolean {
  if (provider.mfaClaim === 'acr') return typeof claims.acr === 'string' && provider.mfaValues.includes(claims.acr);
  return Array.isArray(claims.amr) && claims.amr.some((v) => typeof v === 'string' && provider.mfaValues.includes(v));
}

/**
 * R-SSO hospital staff sign in through their establishment's OpenID provider: code flow with PKCE, state and nonce kept
 * server side (single use, 10 minutes); the ID token's signature, issuer, audience, nonce and expiry checked; the person
 * found among those the DSI created (verified e-mail of an allowed domain), never created. The console gets a ticket.
 */
@Injectable()
export class SsoSignInService {
  private readonly logger = new Logger('SsoSignIn');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repo: SsoRepository,
    private readonly settings: SsoSettingsService,
    private readonly secrets: Secrets,
    private readonly clock: Clock,
    private readonly users: UsersRepository,
    private readonly audit: AuditService,
  ) {}

  /** The provider's authorization URL for the establishment accepting this e-mail's domain (or the choice when several do). */
  async start(email: string, tenantId?: string): Promise<SsoStartView> {
    const choices = await this.repo.establishmentsFor(email.slice(email.lastIndexOf('@') + 1).toLowerCase());
    const chosen = tenantId ? choices.find((c) => c.tenantId === tenantId) : choices.length === 1 ? choices[0] : undefined;
    if (!choices.length || (tenantId && !chosen)) throw SsoErrors.error('SSO_NOT_AVAILABLE');
    if (!chosen) return { authorizationUrl: null, browserProof: null, establishments: choices };
    const provider = await this.repo.provider(chosen.tenantId);
    if (!provider?.enabled) throw SsoErrors.error('SSO_NOT_AVAILABLE');
    const config = await this.open(provider);
    const [verifier, state, nonce, browserProof] = [randomPKCECodeVerifier(), randomState(), randomNonce(), randomToken(32)];
    const now = this.clock.now();
    await this.repo.addAttempt(this.secrets.lookupHash(state), {
      tenantId: provider.tenantId, nonce, codeVerifierEnc: this.secrets.encrypt(verifier),
      browserHash: this.secrets.lookupHash(browserProof),
    }, now, new Date(now.getTime() + ATTEMPT_TTL_MS));
    const url = buildAuthorizationUrl(config, {
      redirect_uri: redirectUriOf(this.config), scope: 'openid email profile', response_type: 'code', state, nonce, login_hint: email,
      code_challenge: await calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    });
    return { authorizationUrl: url.href, browserProof, establishments: [] };
  }

  /**
   * The provider sent the browser back: where the console takes over, with a single-use ticket, or with the code of the
   * refusal (the console says it in French). Never a token in the URL.
   */
  async callback(query: Record<string, string | undefined>): Promise<string> {
    const signInPage = `${this.config.http.publicUrl.replace(/\/$/, '')}/login`;
    try {
      return `${signInPage}?ticket=${encodeURIComponent(await this.complete(query))}`;
    } catch (error) {
      if (!(error instanceof DomainError) || !(error.code in SsoErrors.specs)) throw error;
      return `${signInPage}?sso_error=${error.code}`;
    }
  }

  private async complete(query: Record<string, string | undefined>): Promise<string> {
    const now = this.clock.now();
    const attempt = query.state ? await this.repo.takeAttempt(this.secrets.lookupHash(query.state), now) : null;
    if (!attempt) throw SsoErrors.error('SSO_STATE_INVALID');
    if (query.error) {
      this.logger.warn(`R-SSO the provider answered ${query.error}: ${query.error_description ?? ''}`.slice(0, 500));
      throw SsoErrors.error('SSO_PROVIDER_REFUSED');
    }
    const provider = await this.repo.provider(attempt.tenantId);
    if (!provider?.enabled) throw SsoErrors.error('SSO_DISABLED');
    const claims = await this.idToken(provider, query, { state: query.state!, nonce: attempt.nonce, verifier: attempt.codeVerifierEnc });
    // Entra ID has no email_verified; its optional claim xms_edov says the domain's owner vouches for the address.
    if (typeof claims.email !== 'string' || (claims.email_verified !== true && claims.xms_edov !== true)) {
      throw SsoErrors.error('SSO_EMAIL_UNVERIFIED');
    }
    const email = claims.email;
    const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
    if (!provider.emailDomains.includes(domain)) throw SsoErrors.error('SSO_DOMAIN_NOT_ALLOWED');
    const user = await this.users.findByEmailIn(provider.tenantId, email);
    if (!user) throw SsoErrors.error('SSO_UNKNOWN_PERSON');
    await this.assertMayUse(provider, user, now);
    const ticket = randomToken(32);
    await this.repo.addTicket(this.secrets.lookupHash(ticket), {
      userId: user.id, browserHash: attempt.browserHash, tenantId: provider.tenantId, providerMfa: providerAskedMfa(provider, claims),
      claims: {
        issuer: provider.issuer, amr: Array.isArray(claims.amr) ? claims.amr.map(String) : null,
        acr: claims.acr ? String(claims.acr) : null,
      },
    }, now, new Date(now.getTime() + TICKET_TTL_MS));
    return ticket;
  }

  private async open(provider: ProviderRow): Promise<Configuration> {
    try {
      return await openProvider(this.settings.target(provider), this.config.sso.allowLoopbackHttp, this.clock.now());
    } catch (error) {
      this.logger.warn(`R-SSO discovery failed for ${provider.issuer}: ${failedStep(error).detail}`);
      throw SsoErrors.error('SSO_PROVIDER_UNREACHABLE');
    }
  }

  /** The code exchanged at the token endpoint and the ID token checked: signature, issuer, audience, nonce, expiry. */
  private async idToken(
    provider: ProviderRow, query: Record<string, string | undefined>, expected: { state: string; nonce: string; verifier: string },
  ): Promise<IDToken> {
    const config = await this.open(provider);
    const current = new URL(redirectUriOf(this.config));
    for (const [k, v] of Object.entries(query)) if (v !== undefined) current.searchParams.set(k, v);
    try {
      const tokens = await authorizationCodeGrant(config, current, {
        pkceCodeVerifier: this.secrets.decrypt(expected.verifier), expectedState: expected.state, expectedNonce: expected.nonce,
        idTokenExpected: true,
      });
      return tokens.claims()!;
    } catch (error) {
      const failure = failedStep(error);
      this.logger.warn(`R-SSO the provider's answer was refused (${provider.issuer}): ${failure.detail}`);
      throw SsoErrors.error(failure.step === 'connect' || failure.step === 'tls' ? 'SSO_PROVIDER_UNREACHABLE' : 'SSO_TOKEN_INVALID');
    }
  }

  /** A contractor only when the DSI allowed the company; only an active, unlocked person. A refusal after the provider is audited. */
  private async assertMayUse(provider: ProviderRow, user: Person, now: Date): Promise<void> {
    let refusal: SsoCode | null = null;
    if (user.contractorId && !provider.contractorIds.includes(user.contractorId)) refusal = 'SSO_CONTRACTOR_NOT_ALLOWED';
    else if (isLocked(user, now)) refusal = 'SSO_ACCOUNT_LOCKED';
    else {
      try {
        assertActive(user);
      } catch {
        refusal = 'SSO_ACCOUNT_INACTIVE';
      }
    }
    if (!refusal) return;
    await this.audit.record({
      tenantId: provider.tenantId, actor: { type: 'system', id: null, label: 'sso' }, action: 'user.sso_refused', targetType: 'user',
      targetId: user.id, after: { method: 'sso', issuer: provider.issuer, reason: refusal, status: user.status },
    });
    throw SsoErrors.error(refusal);
  }
}
