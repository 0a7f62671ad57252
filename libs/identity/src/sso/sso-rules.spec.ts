import { parseConfig } from '@app/core';
import { issuerAllowed } from './oidc-client';
import { providerAskedMfa } from './sso-sign-in.service';

const ENV = { DATABASE_URL: 'postgres://localhost/x', APP_SECRET: 'a'.repeat(40) };

describe('R-SSO the rules of single sign-on', () => {
  it('R-SSO an issuer is https; clear http only on this host\'s loopback, and only when the configuration allows it', () => {
    expect(issuerAllowed('https://login.microsoftonline.com/t/v2.0', false)).toBe(true);
    expect(issuerAllowed('http://127.0.0.1:4000', false)).toBe(false);
    expect(issuerAllowed('http://127.0.0.1:4000', true)).toBe(true);
    expect(issuerAllowed('http://localhost:4000/realms/h', true)).toBe(true);
    expect(issuerAllowed('http://idp.hopital.fr', true)).toBe(false);
    expect(issuerAllowed('http://127.0.0.1.nip.io', true)).toBe(false);
  });

  it('R-SSO the loopback exception is refused at boot in production', () => {
    expect(parseConfig({ ...ENV, NODE_ENV: 'test', SSO_ALLOW_LOOPBACK_HTTP: 'true' }).sso.allowLoopbackHttp).toBe(true);
    expect(parseConfig({ ...ENV, NODE_ENV: 'production' }).sso.allowLoopbackHttp).toBe(false);
    expect(() => parseConfig({ ...ENV, NODE_ENV: 'production', SSO_ALLOW_LOOPBACK_HTTP: 'true' })).toThrow(/SSO_ALLOW_LOOPBACK_HTTP/);
  });

  it('R-SSO R-ART28 two factors only when the ID token says so: amr holds a configured value, or acr is one', () => {
    const amr = { mfaClaim: 'amr' as const, mfaValues: ['mfa', 'hwk'] };
    expect(providerAskedMfa(amr, { amr: ['pwd', 'mfa'] } as never)).toBe(true);
    expect(providerAskedMfa(amr, { amr: ['hwk'] } as never)).toBe(true);
    expect(providerAskedMfa(amr, { amr: ['pwd'] } as never)).toBe(false);
    expect(providerAskedMfa(amr, { amr: 'mfa' } as never)).toBe(false);
    expect(providerAskedMfa(amr, { acr: 'mfa' } as never)).toBe(false);
    const acr = { mfaClaim: 'acr' as const, mfaValues: ['urn:hopital:mfa'] };
    expect(providerAskedMfa(acr, { acr: 'urn:hopital:mfa' } as never)).toBe(true);
    expect(providerAskedMfa(acr, { acr: 'urn:hopital:password', amr: ['mfa'] } as never)).toBe(false);
  });
});
