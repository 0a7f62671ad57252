/**
 * The console's only door to the server: the public API (/v1), like any other client.
 *
 * Tokens: the access token lives in memory only (a page script cannot find it in any storage), the
 * refresh token in sessionStorage, so that reloading the tab keeps the session while closing it
 * ends it, and other tabs or windows never share it. Refresh tokens rotate at each use and a reused
 * one revokes the whole session on the server, so a stolen copy is short-lived and self-revealing.
 * On a 401 the client refreshes once and retries once; a second 401 signs the person out.
 * A 503 (the database or Redis away, R-INT) or no answer at all is not a refusal: the session is kept.
 */
import type { Page, Problem, Tokens } from './types';

const REFRESH_KEY = 'prestagate.refreshToken';

let accessToken: string | null = null;
let refreshing: Promise<boolean> | null = null;
let onSignedOut: () => void = () => undefined;

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail || problem.title);
  }
  get status(): number {
    return this.problem.status;
  }
}

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
 * One refresh at a time: requests that fail together wait for the same new token. Only the server's
 * refusal ends the session; when it cannot answer (503, network), the refresh token is kept and the
 * failure thrown as an ApiError, so the person sees "unavailable" and the next try may succeed (R-INT).
 */
function refresh(): Promise<boolean> {
  refreshing ??= (async () => {
    const refreshToken = sessionStorage.getItem(REFRESH_KEY);
    if (!refreshToken) return false;
    const response = await fetch('/v1/auth/refresh', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken }),
    }).catch((error: unknown) => { throw networkError(error); });
    if (response.status >= 500) throw new ApiError(await problemOf(response));
    if (!response.ok) {
      session.clear();
      return false;
    }
    session.start(await response.json());
    return true;
  })().finally(() => { refreshing = null; });
  return refreshing;
}

export interface RequestOptions {
  body?: unknown;
  form?: FormData;
  /** An array is sent as the key repeated (`?id=a&id=b`). */
  query?: Record<string, string | number | string[] | undefined | null>;
  signal?: AbortSignal;
}

export function withQuery(path: string, query?: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    for (const one of Array.isArray(value) ? value : [value]) if (one !== undefined && one !== null && one !== '') params.append(key, String(one));
  }
  const text = params.toString();
  return text ? `${path}${path.includes('?') ? '&' : '?'}${text}` : path;
}

async function send(method: string, path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  if (accessToken) headers.authorization = `Bearer ${accessToken}`;
  let body: BodyInit | undefined;
  if (options.form) body = options.form;
  else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  return fetch(withQuery(path, options.query), { method, headers, body, signal: options.signal });
}

/**
 * Sends the request; on 401 refreshes the session once and sends it again. Requests sent together
 * with an expired token come back one by one: the first refreshes, and one whose 401 arrives after
 * that refresh ended (the token it carried is no longer the current one) is sent again with the new
 * token, without refreshing a second time.
 */
async function authorised(method: string, path: string, options: RequestOptions): Promise<Response> {
  const sentWith = accessToken;
  let response = await send(method, path, options).catch((error: unknown) => { throw networkError(error); });
  if (response.status === 401 && !path.startsWith('/v1/auth/') && session.canResume()) {
    const renewedMeanwhile = accessToken !== null && accessToken !== sentWith;
    if (renewedMeanwhile || (await refresh())) response = await send(method, path, options).catch((error: unknown) => { throw networkError(error); });
  }
  if (response.status === 401 && !path.startsWith('/v1/auth/')) {
    session.clear();
    onSignedOut();
  }
  return response;
}

function networkError(error: unknown): ApiError {
  if (error instanceof DOMException && error.name === 'AbortError') throw error;
  return new ApiError({ type: 'about:blank', title: 'Network error', status: 0, code: 'NETWORK', detail: '' });
}

async function problemOf(response: Response): Promise<Problem> {
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    const body = await response.json().catch(() => null);
    if (body && typeof body === 'object') return { status: response.status, title: response.statusText, detail: '', code: `HTTP_${response.status}`, type: 'about:blank', ...body };
  }
  return { type: 'about:blank', title: response.statusText, status: response.status, detail: '', code: `HTTP_${response.status}` };
}

export async function api<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const response = await authorised(method, path, options);
  if (!response.ok) throw new ApiError(await problemOf(response));
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('content-type') ?? '';
  return (type.includes('json') ? response.json() : response.text()) as Promise<T>;
}

export const get = <T>(path: string, query?: RequestOptions['query']) => api<T>('GET', path, { query });
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, { body: body ?? {} });
export const put = <T>(path: string, body: unknown) => api<T>('PUT', path, { body });
export const patch = <T>(path: string, body: unknown) => api<T>('PATCH', path, { body });
export const upload = <T>(path: string, form: FormData) => api<T>('POST', path, { form });

/** A list answered either as an array (older routes) or as a page `{items, nextCursor}`. */
export async function list<T>(path: string, query?: RequestOptions['query']): Promise<Page<T>> {
  const body = await get<T[] | Page<T>>(path, query);
  return Array.isArray(body) ? { items: body, nextCursor: null } : { items: body.items ?? [], nextCursor: body.nextCursor ?? null };
}

/** Every page of a list (for pickers: resources, accounts...), with a bound so a huge list cannot hang the page. */
export async function listAll<T>(path: string, query: RequestOptions['query'] = {}, maxPages = 20): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < maxPages; i++) {
    const page: Page<T> = await list<T>(path, { ...query, cursor: cursor ?? undefined });
    items.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return items;
}

export interface Downloaded {
  blob: Blob;
  filename: string;
}

/**
 * A file behind the bearer token (signed charter, export, evidence), read as a stream so that long
 * downloads show their progress: `onProgress(received, total)` (total null when the server streams
 * without a length).
 */
export async function download(path: string, onProgress?: (received: number, total: number | null) => void, signal?: AbortSignal): Promise<Downloaded> {
  const response = await authorised('GET', path, { signal });
  if (!response.ok) throw new ApiError(await problemOf(response));
  const length = Number(response.headers.get('content-length'));
  const total = Number.isFinite(length) && length > 0 ? length : null;
  const chunks: BlobPart[] = [];
  let received = 0;
  onProgress?.(0, total);
  const reader = response.body?.getReader();
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.byteLength;
      onProgress?.(received, total);
    }
  } else {
    chunks.push(await response.arrayBuffer());
  }
  const disposition = response.headers.get('content-disposition') ?? '';
  const filename = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1] ?? path.split('/').pop() ?? 'download';
  return { blob: new Blob(chunks, { type: response.headers.get('content-type') ?? 'application/octet-stream' }), filename: decodeURIComponent(filename) };
}

/** Hands a downloaded file to the browser (the person's own "save" action). */
export function saveFile({ blob, filename }: Downloaded): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export async function sha256Hex(blob: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
