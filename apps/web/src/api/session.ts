/**
 * Tokens: the access token in memory only, the refresh token in sessionStorage (a reload keeps the tab signed in,
 * closing it ends the session, other tabs never share it). Why, and the 401 and 503 rules: docs/adr/console-session.md.
 */
import { storedLang } from '../i18n';
import { ApiError, networkError, problemIn } from './problem';
import type { Tokens } from './types';

const REFRESH_KEY = 'prestagate.refreshToken';

let accessToken: string | null = null;
let refreshing: Promise<boolean> | null = null;
let onSignedOut: () => void = () => undefined;

export const session = {
  start(tokens: Pick<Tokens, 'accessToken' | 'refreshToken'>): void {
    accessToken = tokens.accessToken;
    sessionStorage.setItem(REFRESH_KEY, tokens.refreshToken);
  },
  clear(): void {
    accessToken = null;
    sessionStorage.removeItem(REFRESH_KEY);
  },
  canResume(): boolean {
    return sessionStorage.getItem(REFRESH_KEY) !== null;
  },
  /** Called when the server no longer accepts the session (expired, revoked, suspended). */
  onSignedOut(handler: () => void): void {
    onSignedOut = handler;
  },
  refresh,
};

/**
 * One refresh at a time: requests that fail together wait for the same new token. Only the server's refusal ends
 * the session; a 503 or no answer keeps the refresh token and throws, so the next try may succeed (R-INT).
 */
function refresh(): Promise<boolean> {
  refreshing ??= (async () => {
    const refreshToken = sessionStorage.getItem(REFRESH_KEY);
    if (!refreshToken) return false;
    const response = await fetch('/v1/auth/refresh', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken }),
    }).catch((error: unknown) => { throw networkError(error); });
    if (response.status >= 500) throw new ApiError(await problemIn(response));
    if (!response.ok) {
      session.clear();
      return false;
    }
    session.start((await response.json()) as Tokens);
    return true;
  })().finally(() => { refreshing = null; });
  return refreshing;
}

/** The body read once, so that the request can be sent again; JSON as text, as the browser shows it to tools. */
async function bodyOf(request: Request): Promise<BodyInit | undefined> {
  if (!request.body) return undefined;
  return (request.headers.get('content-type') ?? '').includes('json') ? request.text() : request.arrayBuffer();
}

function send(request: Request, body: BodyInit | undefined): Promise<Response> {
  const headers = new Headers(request.headers);
  if (accessToken) headers.set('authorization', `Bearer ${accessToken}`);
  // R-L10N the API's messages in the console's language (a signed-in person's own locale comes first on the API side).
  headers.set('accept-language', storedLang());
  return fetch(request.url, { method: request.method, headers, body, signal: request.signal })
    .catch((error: unknown) => { throw networkError(error); });
}

/**
 * Sends the request; on 401 refreshes the session once and sends it again. A request whose 401 arrives after
 * another one's refresh ended (its token is no longer the current one) is sent again without a second refresh.
 */
export async function authorisedFetch(request: Request): Promise<Response> {
  const body = await bodyOf(request);
  const sentWith = accessToken;
  const ownPath = new URL(request.url).pathname.startsWith('/v1/auth/');
  let response = await send(request, body);
  if (response.status === 401 && !ownPath && session.canResume()) {
    const renewedMeanwhile = accessToken !== null && accessToken !== sentWith;
    if (renewedMeanwhile || (await refresh())) response = await send(request, body);
  }
  if (response.status === 401 && !ownPath) {
    session.clear();
    onSignedOut();
  }
  return response;
}
