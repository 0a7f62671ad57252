import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, FieldError, noun, RateLimitedError } from './domain-error';
import { DEFAULT_LANG, Lang, Params, pickLang, render, Text } from './text';
import { isRetryableConflict } from '../database/db';
import { isServiceUnavailable, ServiceUnavailableError, UNAVAILABLE_RETRY_AFTER_SECONDS } from './unavailable';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  requestId?: string;
  errors?: { field: string; message: string }[];
  [extra: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  406: 'Not Acceptable', 408: 'Request Timeout', 409: 'Conflict', 413: 'Content Too Large', 415: 'Unsupported Media Type',
  422: 'Unprocessable Content', 423: 'Locked', 429: 'Too Many Requests', 431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const CODES_BY_STATUS: Record<number, string> = {
  503: 'SERVICE_UNAVAILABLE',
  400: 'BAD_REQUEST', 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE', 408: 'REQUEST_TIMEOUT', 409: 'CONFLICT', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED', 431: 'HEADERS_TOO_LARGE',
};

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problemType(code: string): string {
  return `urn:prestagate:problem:${code.toLowerCase().replace(/_/g, '-')}`;
}

const core = (key: string, params?: Params): Text => ({ catalogue: 'core', key, params });

/**
 * Turns any error into an RFC 9457 problem, its `detail` and field messages in `lang` (R-L10N); unexpected ones are
 * logged and answered with the request id only.
 */
export function toProblem(error: unknown, requestId: string | undefined, log: Logger, lang: Lang = DEFAULT_LANG): Problem {
  if (error instanceof DomainError) {
    const problem: Problem = { ...base(error.status, error.code, error.text ?? error.message, lang), ...error.extra };
    if (Array.isArray(error.extra.errors)) problem.errors = renderFields(error.extra.errors as FieldError[], lang);
    return problem;
  }
  if (isRetryableConflict(error)) {
    // R-INT: still in conflict after Db.transaction's attempts; nothing was written.
    return base(409, 'CONCURRENT_UPDATE', core('CONCURRENT_UPDATE'), lang);
  }
  if (error instanceof ThrottlerException) return base(429, 'RATE_LIMITED', core('RATE_LIMITED'), lang);
  if (error instanceof HttpException && isFastifyClientError(error.cause)) {
    // The Fastify adapter wraps Fastify's own errors (malformed JSON...) in an HttpException: keep their code.
    return fastifyProblem(error.cause, lang);
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const body = error.getResponse();
    const fields = typeof body === 'string' ? { message: body } : (body as Record<string, unknown>);
    const { message, error: _name, statusCode: _status, ...extensions } = fields;
    const code = CODES_BY_STATUS[status] ?? `HTTP_${status}`;
    const detail = status === 404 ? core('NOT_FOUND', { thing: noun('Page') }) : status in CODES_BY_STATUS ? core(code)
      : Array.isArray(message) ? message.join('; ') : String(message ?? error.message);
    // Extension members (e.g. the health check's details) are kept beside the problem fields.
    return { ...extensions, ...base(status, code, detail, lang) };
  }
  if (isFastifyClientError(error)) return fastifyProblem(error, lang);
  if (isServiceUnavailable(error)) {
    warnUnavailable(error, requestId, log);
    return toProblem(new ServiceUnavailableError(), requestId, log, lang);
  }
  log.error({ err: error, requestId }, 'Unexpected error');
  return base(500, 'INTERNAL', core('INTERNAL', { requestId: requestId ?? 'n/a' }), lang);
}

/** Field messages in `lang`, each said once per field (two rules that say the same thing are one line to the reader). */
function renderFields(errors: FieldError[], lang: Lang): { field: string; message: string }[] {
  const seen = new Set<string>();
  return errors.map((e) => ({ field: e.field, message: render(e.message, lang) })).filter((e) => {
    const key = `${e.field}\u0000${e.message}`;
    return !seen.has(key) && !!seen.add(key);
  });
}

let lastUnavailableWarning = 0;

/** R-INT: an outage fails every request; one log line every 10 seconds says why, instead of one per request. */
function warnUnavailable(error: unknown, requestId: string | undefined, log: Logger): void {
  const now = Date.now();
  if (now - lastUnavailableWarning < 10_000) return;
  lastUnavailableWarning = now;
  log.warn({ requestId, reason: (error as Error).message }, 'A dependency (PostgreSQL or Redis) is unavailable: answering 503');
}

interface FastifyClientError {
  statusCode: number;
  code?: string;
  message?: string;
}

function isFastifyClientError(error: unknown): error is FastifyClientError {
  const status = (error as { statusCode?: unknown } | null | undefined)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/** Fastify's own errors: malformed JSON, wrong content type, body too large. */
function fastifyProblem(error: FastifyClientError, lang: Lang): Problem {
  return base(error.statusCode, fastifyCode(error.code, error.statusCode), plainFastifyMessage(error), lang);
}

function fastifyCode(code: string | undefined, status: number): string {
  if (code === 'FST_ERR_CTP_INVALID_JSON_BODY' || code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return 'MALFORMED_BODY';
  return CODES_BY_STATUS[status] ?? `HTTP_${status}`;
}

function plainFastifyMessage(e: { code?: string; message?: string }): Text | string {
  if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return core('UNSUPPORTED_MEDIA_TYPE');
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return core('PAYLOAD_TOO_LARGE');
  if (e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return core('BODY_EMPTY');
  if (e.code === 'FST_ERR_CTP_INVALID_JSON_BODY') return core('BODY_NOT_JSON');
  return e.message ?? core('BAD_REQUEST');
}

/**
 * Fastify's `clientErrorHandler`: what Node's HTTP parser refuses before any route runs (a URL or headers
 * over 16 KiB, a malformed request line, a timeout) is answered as a problem too, not Fastify's own JSON.
 */
export function clientErrorProblem(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const detail = core(status === 431 ? 'HEADERS_TOO_LARGE' : status === 408 ? 'REQUEST_TIMEOUT' : 'NOT_HTTP');
  // No header could be read: the default language.
  const body = JSON.stringify(base(status, CODES_BY_STATUS[status], detail, DEFAULT_LANG));
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n`
      + `Content-Language: ${DEFAULT_LANG}\r\n`
      + `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(error);
}

/**
 * Fastify's `frameworkErrors`: a URL with malformed escapes or an over-long parameter is refused by the
 * router before Nest sees the request; it is a problem like any other 4xx.
 */
export function frameworkErrorProblem(
  error: Error & { statusCode?: number; code?: string }, request: FastifyRequest, reply: FastifyReply,
): void {
  const lang = requestLang(request);
  const problem = isFastifyClientError(error) ? fastifyProblem(error, lang) : base(400, 'BAD_REQUEST', core('BAD_REQUEST'), lang);
  reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).header('content-language', lang)
    .send({ ...problem, instance: request.url });
}

function base(status: number, code: string, detail: string | Text, lang: Lang): Problem {
  const title = TITLES[status] ?? HttpStatus[status] ?? 'Error';
  return { type: problemType(code), title, status, detail: render(detail, lang), code };
}

/** R-L10N the caller's language: the signed-in person's locale (set on the principal by the guard), else Accept-Language. */
export function requestLang(request: FastifyRequest | undefined): Lang {
  const principal = (request as { principal?: { locale?: string } } | undefined)?.principal;
  return pickLang(principal?.locale, request?.headers?.['accept-language']);
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly log = new Logger('ProblemFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const requestId = request?.id ? String(request.id) : undefined;
    const lang = requestLang(request);
    const problem = toProblem(error, requestId, this.log, lang);
    problem.instance = request?.url;
    if (problem.status >= 500) problem.requestId = requestId;
    if (problem.status === 401) reply.header('WWW-Authenticate', 'Bearer');
    if (error instanceof RateLimitedError || error instanceof ServiceUnavailableError) {
      reply.header('Retry-After', String(error.retryAfterSeconds));
    } else if (problem.status === 503) reply.header('Retry-After', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
    // A named throttler sets `Retry-After-<name>`; clients read the standard header.
    const headers = error instanceof ThrottlerException ? Object.entries(reply.getHeaders()) : [];
    const named = headers.find(([name]) => name.toLowerCase().startsWith('retry-after-'));
    if (named) reply.header('Retry-After', String(named[1]));
    reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).header('content-language', lang).send(problem);
  }
}
