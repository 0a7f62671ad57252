import { DomainError } from '@app/core';

/** How long a gateway is asked to wait before sending again while PostgreSQL is unreachable. */
export const RETRY_AFTER_SECONDS = 5;

/** SQLSTATEs of a server that is going away or not there yet (class 08, admin/crash shutdown, starting up). */
const GONE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const GONE_MESSAGES = /Connection terminated|connection timeout|Client has encountered a connection error|timeout exceeded when trying to connect/i;

/**
 * R-INT: whether an error means "PostgreSQL cannot be reached" (the query may succeed later, unchanged)
 * rather than "PostgreSQL refused this". Looks through TypeORM's QueryFailedError (driverError), an
 * AggregateError (one error per address tried) and `cause`.
 */
export function isConnectionFailure(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  const e = error as { code?: unknown; message?: unknown; driverError?: unknown; errors?: unknown; cause?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  if (SOCKET_CODES.has(code) || GONE_SQLSTATES.has(code) || /^08/.test(code)) return true;
  if (typeof e.message === 'string' && GONE_MESSAGES.test(e.message)) return true;
  const inner = [e.driverError, e.cause, ...(Array.isArray(e.errors) ? e.errors : [])];
  return inner.some((i) => i !== error && isConnectionFailure(i, depth + 1));
}

/** R-ART41 R-INT: ingestion refused while PostgreSQL is unreachable; nothing of the request was accepted. */
export class JournalUnavailable extends DomainError {
  constructor(readonly retryAfterSeconds = RETRY_AFTER_SECONDS) {
    super('SERVICE_UNAVAILABLE', 503, 'The connection journal cannot store events right now; nothing was accepted, send the batch again later', { retryAfterSeconds });
  }
}
