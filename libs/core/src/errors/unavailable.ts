import { DomainError } from './domain-error';
import type { Text } from './text';

/** What a client is told to wait before retrying while PostgreSQL or Redis is away (both reconnect on their own). */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/** R-INT: a dependency is away; answered 503 with `Retry-After`, never 401 or 500. */
export class ServiceUnavailableError extends DomainError {
  constructor(
    message: string | Text = { catalogue: 'core', key: 'SERVICE_UNAVAILABLE' },
    readonly retryAfterSeconds = UNAVAILABLE_RETRY_AFTER_SECONDS,
  ) {
    super('SERVICE_UNAVAILABLE', 503, message, { retryAfterSeconds });
  }
}

/** Socket-level failures (Node), whichever client saw them. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * PostgreSQL's SQLSTATEs for "not now": admin/crash shutdown, starting up or shutting down, too many
 * connections; class 08 is every connection exception.
 */
const PG_STATES = new Set(['57P01', '57P02', '57P03', '53300']);

/**
 * What pg (server gone mid-query, pool without a connection in time, client already failed) and ioredis (closed,
 * offline queue off while disconnected, MaxRetriesPerRequestError) say without a code when their connection is gone.
 */
const MESSAGES = [
  /^Connection terminated/, /timeout exceeded when trying to connect/, /is not queryable/,
  /^Connection is closed/, /^Stream isn't writeable/, /max retries per request/i,
];

/**
 * True when `error` means that PostgreSQL or Redis cannot be reached now (not a fault of the request or the code).
 * Follows `driverError`, `cause` and an AggregateError's members (a refused connection to each address of a host).
 */
export function isServiceUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  if (error instanceof ServiceUnavailableError) return true;
  const { code, message, name } = error as { code?: unknown; message?: unknown; name?: unknown };
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || PG_STATES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  if (name === 'MaxRetriesPerRequestError') return true;
  if (typeof message === 'string' && MESSAGES.some((pattern) => pattern.test(message))) return true;
  const nested = error as { driverError?: unknown; cause?: unknown; errors?: unknown };
  const inner = [nested.driverError, nested.cause, ...(Array.isArray(nested.errors) ? nested.errors : [])];
  return inner.some((e) => isServiceUnavailable(e, depth + 1));
}
