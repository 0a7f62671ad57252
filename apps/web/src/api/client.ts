import createClient from 'openapi-fetch';
import { ApiError, problemIn, problemOf } from './problem';
import type { paths } from './schema';
import { authorisedFetch } from './session';
import type { Page } from './types';

type Query = Record<string, unknown>;

/** `?a=1&id=x&id=y`: an array as the key repeated; empty text, null and undefined left out. */
export function withQuery(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    for (const one of Array.isArray(value) ? value : [value]) {
      if (one !== undefined && one !== null && one !== '') params.append(key, String(one));
    }
  }
  const text = params.toString();
  return text ? `${path}${path.includes('?') ? '&' : '?'}${text}` : path;
}

/** The console's only door to the server: the public API, typed by its OpenAPI document, like any other client. */
export const api = createClient<paths>({
  fetch: authorisedFetch,
  headers: { accept: 'application/json, application/problem+json' },
  querySerializer: (query) => withQuery('', query as Query).slice(1),
});

/** What openapi-fetch answers: the body on success, the problem on refusal. */
interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The answer's body, or its problem thrown as an ApiError (shown by the forms and lists). */
export async function ok<T>(call: Promise<Answer<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw new ApiError(problemOf(response, error));
  return data as T;
}

/** An answer the document does not describe yet (no response schema), typed by the caller until it does. */
export async function okAs<T>(call: Promise<Answer<unknown>>): Promise<T> {
  return (await ok(call)) as T;
}

/** The API's multipart body (documents, signatures, conventions), which the document types as JSON. */
export function multipart<T>(form: FormData): NonNullable<T> {
  return form as unknown as NonNullable<T>;
}

/** A list answered either as an array (older routes) or as a page `{items, nextCursor}`. */
export function pageOf<T>(body: T[] | Page<T>): Page<T> {
  return Array.isArray(body) ? { items: body, nextCursor: null } : { items: body.items ?? [], nextCursor: body.nextCursor ?? null };
}

/** One page of a list, from the cursor given (undefined: the first). */
export type PageLoader<T> = (cursor: string | undefined) => Promise<Answer<T[] | Page<T>>>;

/** Every page of a list (for pickers: resources, accounts...), with a bound so a huge list cannot hang the page. */
export async function listAll<T>(load: PageLoader<T>, maxPages = 20): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < maxPages; i++) {
    const page = pageOf(await ok(load(cursor)));
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
    if (!cursor) break;
  }
  return items;
}

/** The path parameters of a route with one `{id}`: `api.GET('/v1/contractors/{id}', at(id))`. */
export const at = (id: string) => ({ params: { path: { id } } });

/** The API's own OpenAPI document, read at run time where the console offers what the API knows (scopes, events). */
export async function apiDocument<T>(): Promise<T> {
  const response = await authorisedFetch(new Request('/docs-json', { headers: { accept: 'application/json, application/problem+json' } }));
  if (!response.ok) throw new ApiError(await problemIn(response));
  return (await response.json()) as T;
}
