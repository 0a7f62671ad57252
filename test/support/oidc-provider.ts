import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, JWK, SignJWT } from 'jose';
import Provider from 'oidc-provider';

type SigningKey = Parameters<SignJWT['sign']>[0];

/** Who signs in at the provider next, and how (`amr`, `acr`): the test decides, no login page is filled. */
export interface IdpAccount {
  sub: string;
  email: string;
  emailVerified?: boolean;
  amr?: string[];
  acr?: string;
}

export const IDP_CLIENT_ID = 'prestagate';
export const IDP_CLIENT_SECRET = 'idp-client-secret-0123456789';

/** A signing key of this provider (or another one's, for a forged token). */
async function rsaKey(kid: string): Promise<{ jwk: JWK; key: SigningKey }> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { jwk: { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' }, key: privateKey };
}

/**
 * R-SSO a real OpenID provider (oidc-provider) on its own port, standing for Entra ID, AD FS or Keycloak: code flow with
 * PKCE required, e-mail claims in the ID token. `tamper` rewrites the ID token the token endpoint answers (forged tests).
 */
export class TestIdp {
  account: IdpAccount | null = null;
  /** Rewrites the ID token on its way out of the token endpoint; null: as the provider signed it. */
  tamper: ((idToken: string) => Promise<string>) | null = null;

  private constructor(
    readonly issuer: string,
    private readonly server: Server,
    private readonly provider: Provider,
    private readonly signingKey: SigningKey,
  ) {}

  static async start(redirectUri: string): Promise<TestIdp> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { jwk, key } = await rsaKey('idp-key');
    let idp: TestIdp | undefined;
    const provider = new Provider(issuer, {
      clients: [{ client_id: IDP_CLIENT_ID, client_secret: IDP_CLIENT_SECRET, redirect_uris: [redirectUri], response_types: ['code'],
        grant_types: ['authorization_code'], token_endpoint_auth_method: 'client_secret_basic' }],
      jwks: { keys: [jwk] },
      cookies: { keys: ['test-idp-cookie-key'] },
      features: { devInteractions: { enabled: false } },
      pkce: { required: () => true },
      claims: { openid: ['sub', 'acr', 'amr'], email: ['email', 'email_verified'] },
      conformIdTokenClaims: false,
      ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
      interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
      findAccount: (_ctx: unknown, sub: string) => {
        const account = idp?.account;
        if (!account || account.sub !== sub) return undefined;
        return { accountId: sub, claims: () => ({ sub, email: account.email, email_verified: account.emailVerified ?? true }) };
      },
    });
    provider.use(async (ctx, next) => {
      await next();
      const body = ctx.body as { id_token?: string } | undefined;
      if (ctx.path === '/token' && idp?.tamper && body?.id_token) body.id_token = await idp.tamper(body.id_token);
    });
    idp = new TestIdp(issuer, server, provider, key);
    const callback = provider.callback();
    server.on('request', (req, res) => {
      if (req.url?.startsWith('/interaction/')) void idp!.interact(req, res);
      else callback(req, res);
    });
    return idp;
  }

  /** The person signs in (with the `amr` and `acr` the test chose) and consents at once, as a configured enterprise app does. */
  private async interact(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const details = await this.provider.interactionDetails(req, res);
      const account = this.account!;
      if (details.prompt.name === 'login') {
        await this.provider.interactionFinished(req, res, { login: { accountId: account.sub, amr: account.amr, acr: account.acr } },
          { mergeWithLastSubmission: false });
        return;
      }
      const grant = new this.provider.Grant({ accountId: account.sub, clientId: String(details.params.client_id) });
      grant.addOIDCScope(String(details.params.scope));
      await this.provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
    } catch (error) {
      res.statusCode = 500;
      res.end(String(error));
    }
  }

  /**
   * What a browser does at the provider: follows its redirects with its cookies until it is sent back to `redirectUri`;
   * answers that URL (with `code` and `state`, or `error`).
   */
  async signIn(authorizationUrl: string, redirectUri: string): Promise<URL> {
    const jar = new Map<string, string>();
    let url = new URL(authorizationUrl);
    for (let hop = 0; hop < 10; hop++) {
      const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
      const res = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
      for (const set of res.headers.getSetCookie()) {
        const [pair] = set.split(';');
        const at = pair.indexOf('=');
        jar.set(pair.slice(0, at), pair.slice(at + 1));
      }
      const location = res.headers.get('location');
      if (!location) throw new Error(`The provider stopped at ${url.pathname} (${res.status}): ${await res.text()}`);
      url = new URL(location, url);
      if (url.href.startsWith(redirectUri)) return url;
    }
    throw new Error('Too many redirects at the provider');
  }

  /** Re-signs the ID token with this provider's key after `change`: a valid signature over claims the client must refuse. */
  resigned(change: (claims: Record<string, unknown>) => void): (idToken: string) => Promise<string> {
    return (idToken) => this.sign(idToken, change, this.signingKey);
  }

  /** Signs the same claims with another key under the provider's key id: a forged token. */
  async forged(): Promise<(idToken: string) => Promise<string>> {
    const other = await rsaKey('idp-key');
    return (idToken) => this.sign(idToken, () => undefined, other.key);
  }

  /** The provider's token with one claim changed and its signature kept: a tampered token. */
  static altered(idToken: string, change: (claims: Record<string, unknown>) => void): string {
    const [header, , signature] = idToken.split('.');
    const claims = decodeJwt(idToken) as Record<string, unknown>;
    change(claims);
    return [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
  }

  private async sign(idToken: string, change: (claims: Record<string, unknown>) => void, key: SigningKey): Promise<string> {
    const claims = decodeJwt(idToken) as Record<string, unknown>;
    change(claims);
    const header = decodeProtectedHeader(idToken);
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: header.kid, typ: header.typ }).sign(key);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
