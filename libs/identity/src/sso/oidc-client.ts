import {
  allowInsecureRequests, ClientSecretBasic, clockSkew, Configuration, customFetch, discovery, enableNonRepudiationChecks,
} from 'openid-client';

/** The steps of a provider's test, in order; the first that fails stops it. */
export const SSO_TEST_STEPS = ['address', 'connect', 'tls', 'discovery', 'keys'] as const;
export type SsoTestStep = (typeof SSO_TEST_STEPS)[number];

export interface ProviderTarget {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const TIMEOUT_MS = 10_000;

/** R-SSO https always; http only on this host's loopback when the configuration says so (SSO_ALLOW_LOOPBACK_HTTP, never in production). */
export function issuerAllowed(issuer: string, allowLoopbackHttp: boolean): boolean {
  const url = new URL(issuer);
  return url.protocol === 'https:' || (url.protocol === 'http:' && allowLoopbackHttp && LOOPBACK.has(url.hostname));
}

/**
 * R-SSO the provider's configuration by discovery, ready for the code flow: the ID token's signature is checked against
 * the provider's keys (openid-client does not by default), and its times against the application's clock.
 */
export async function openProvider(target: ProviderTarget, allowLoopbackHttp: boolean, now: Date): Promise<Configuration> {
  const insecure = new URL(target.issuer).protocol === 'http:' && issuerAllowed(target.issuer, allowLoopbackHttp);
  const execute = insecure ? [allowInsecureRequests, enableNonRepudiationChecks] : [enableNonRepudiationChecks];
  const skew = Math.round((now.getTime() - Date.now()) / 1000);
  return discovery(new URL(target.issuer), target.clientId, { [clockSkew]: skew }, ClientSecretBasic(target.clientSecret), {
    execute,
    [customFetch]: (url, options) => fetch(url, { ...options, signal: AbortSignal.timeout(TIMEOUT_MS) }),
  });
}

/** The codes of an error and of its causes (Node's fetch puts the socket's or TLS's code in `cause`). */
function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  for (let e = error as { code?: unknown; name?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; depth++) {
    if (typeof e.code === 'string') codes.push(e.code);
    if (typeof e.name === 'string') codes.push(e.name);
    e = e.cause as typeof e;
  }
  return codes;
}

function messageOf(error: unknown): string {
  const parts: string[] = [];
  for (let e = error as { message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; depth++) {
    if (typeof e.message === 'string' && e.message && !parts.includes(e.message)) parts.push(e.message);
    e = e.cause as typeof e;
  }
  return parts.join(': ').slice(0, 500);
}

/** Which step a failed discovery stopped at: the connection, TLS (certificate), or the answer (not an OpenID issuer). */
export function failedStep(error: unknown): { step: SsoTestStep; detail: string } {
  const codes = codesOf(error).join(' ');
  const detail = messageOf(error);
  if (/CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(codes)) return { step: 'tls', detail };
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|ENETUNREACH|UND_ERR|TimeoutError|AbortError/.test(codes)) {
    return { step: 'connect', detail };
  }
  return { step: 'discovery', detail };
}

/** R-SSO the provider publishes at least one signing key (the ID token's signature is checked against them). */
export async function signingKeys(config: Configuration): Promise<number> {
  const uri = config.serverMetadata().jwks_uri;
  if (!uri) throw new Error('The discovery document names no jwks_uri');
  const res = await fetch(uri, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (!res.ok) throw new Error(`The keys (${uri}) answer HTTP ${res.status}`);
  const body = (await res.json()) as { keys?: { use?: string }[] };
  return (body.keys ?? []).filter((k) => k.use !== 'enc').length;
}
