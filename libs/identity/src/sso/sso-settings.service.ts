import { Inject, Injectable } from '@nestjs/common';
import { Actor, APP_CONFIG, AppConfig, AuditService, Clock, Db, Secrets, TenantScope } from '@app/core';
import { SsoErrors } from '../errors';
import { failedStep, issuerAllowed, openProvider, signingKeys, SSO_TEST_STEPS, SsoTestStep } from './oidc-client';
import { MfaClaim, ProviderRow, SsoRepository } from './sso.repository';
import { SsoProviderView, SsoTestView } from './sso.views';

export interface SaveSsoProvider {
  enabled: boolean;
  issuer: string;
  clientId: string;
  /** Kept as it is when omitted (an update); required the first time. */
  clientSecret?: string;
  emailDomains: string[];
  mfaClaim: MfaClaim;
  /** Default `mfa` for `amr`; required for `acr` (the DTO says so). */
  mfaValues?: string[];
  contractorIds?: string[];
}

/** The callback the provider sends the browser back to: the one to register there. */
export function redirectUriOf(config: AppConfig): string {
  return `${config.http.publicUrl.replace(/\/$/, '')}/v1/auth/sso/callback`;
}

/** R-SSO the establishment's OpenID provider, set by the DSI; the client secret is stored encrypted, never shown nor audited. */
@Injectable()
export class SsoSettingsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: Db,
    private readonly repo: SsoRepository,
    private readonly secrets: Secrets,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async get(scope: TenantScope): Promise<SsoProviderView> {
    const provider = await this.repo.provider(scope.tenantId);
    if (!provider) throw SsoErrors.error('SSO_NOT_CONFIGURED');
    return this.toView(provider);
  }

  async save(actor: Actor, scope: TenantScope, input: SaveSsoProvider): Promise<SsoProviderView> {
    // As the provider writes it: discovery compares it exactly (Entra's v1 issuer and Auth0's end with a slash).
    const issuer = input.issuer.trim();
    if (!issuerAllowed(issuer, this.config.sso.allowLoopbackHttp)) throw SsoErrors.error('SSO_ISSUER_INSECURE');
    return this.db.transaction(async () => {
      // R-INT locked before it is read: a save without a new secret never writes back a secret another save just changed.
      const before = await this.repo.provider(scope.tenantId, true);
      if (!before && !input.clientSecret) throw SsoErrors.error('SSO_SECRET_REQUIRED');
      const contractorIds = [...new Set(input.contractorIds ?? [])];
      const known = await this.repo.contractorsAmong(scope.tenantId, contractorIds);
      if (contractorIds.some((id) => !known.has(id))) throw SsoErrors.error('SSO_UNKNOWN_CONTRACTOR');
      const row = {
        tenantId: scope.tenantId, enabled: input.enabled, issuer, clientId: input.clientId.trim(),
        clientSecretEnc: input.clientSecret ? this.secrets.encrypt(input.clientSecret) : before!.clientSecretEnc,
        emailDomains: [...new Set(input.emailDomains.map((d) => d.trim().toLowerCase().replace(/^@/, '')))],
        mfaClaim: input.mfaClaim, mfaValues: input.mfaValues?.length ? [...new Set(input.mfaValues.map((v) => v.trim()))] : ['mfa'],
        contractorIds,
      };
      await this.repo.saveProvider(row, actor.id, this.clock.now());
      const { clientSecretEnc: _sealed, ...shown } = row;
      await this.audit.record({
        tenantId: scope.tenantId, actor, action: 'sso.provider_saved', targetType: 'tenant', targetId: scope.tenantId,
        after: { ...shown, clientSecretChanged: Boolean(input.clientSecret) },
      });
      return this.toView((await this.repo.provider(scope.tenantId))!);
    });
  }

  /** R-SSO discovery against the stored issuer, step by step, with the network's or the provider's own words for what failed. */
  async test(scope: TenantScope): Promise<SsoTestView> {
    const provider = await this.repo.provider(scope.tenantId);
    if (!provider) throw SsoErrors.error('SSO_NOT_CONFIGURED');
    const steps: SsoTestView['steps'] = [];
    const passed = (...names: SsoTestStep[]) => names.forEach((step) => steps.push({ step, ok: true, detail: null }));
    const fail = (step: SsoTestStep, detail: string): SsoTestView => {
      passed(...SSO_TEST_STEPS.slice(steps.length, SSO_TEST_STEPS.indexOf(step)));
      steps.push({ step, ok: false, detail });
      return { ok: false, steps };
    };
    if (!issuerAllowed(provider.issuer, this.config.sso.allowLoopbackHttp)) return fail('address', `${provider.issuer} is not https://`);
    passed('address');
    let config;
    try {
      config = await openProvider(this.target(provider), this.config.sso.allowLoopbackHttp, this.clock.now());
    } catch (error) {
      const failure = failedStep(error);
      return fail(failure.step, failure.detail);
    }
    passed('connect', 'tls', 'discovery');
    try {
      if (!(await signingKeys(config))) return fail('keys', 'The provider publishes no signing key');
    } catch (error) {
      return fail('keys', (error as Error).message);
    }
    passed('keys');
    return { ok: true, steps };
  }

  /** The stored provider ready to open (secret decrypted). */
  target(provider: ProviderRow): { issuer: string; clientId: string; clientSecret: string } {
    return { issuer: provider.issuer, clientId: provider.clientId, clientSecret: this.secrets.decrypt(provider.clientSecretEnc) };
  }

  private toView(p: ProviderRow): SsoProviderView {
    return {
      enabled: p.enabled, issuer: p.issuer, clientId: p.clientId, hasClientSecret: true, emailDomains: p.emailDomains, mfaClaim: p.mfaClaim,
      mfaValues: p.mfaValues, contractorIds: p.contractorIds, redirectUri: redirectUriOf(this.config), updatedAt: p.updatedAt.toISOString(),
    };
  }
}
