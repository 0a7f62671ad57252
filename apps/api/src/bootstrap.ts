import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import multipart from '@fastify/multipart';
import { NestFactory } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import {
  clientErrorProblem, CoreErrors, CoreOptions, frameworkErrorProblem, loadConfig, Metrics, observeHttpRequests,
  validationPipe,
} from '@app/core';
import { DecisionRecorder } from '@app/interventions';
import { AppModule } from './app.module';
import { PROBLEM_RESPONSES, PROBLEM_SCHEMA } from './common/responses';
import { serveConsole } from './web/console';

export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
export const MAX_NDJSON_BYTES = 16 * 1024 * 1024;

/** Builds the HTTP application (used by main.ts and by the end-to-end tests alike). */
export async function createApiApp(options: CoreOptions = {}): Promise<NestFastifyApplication> {
  // Security headers on every answer (helmet), the middleware built once: building it per request (parsing the CSP
  // directives again) is a measurable share of the access-decision hot path.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'], objectSrc: ["'none'"], frameAncestors: ["'none'"],
      },
    },
    // Never framed (clickjacking), like frame-ancestors 'none' for browsers that only read X-Frame-Options.
    frameguard: { action: 'deny' },
  });
  const adapter = new FastifyAdapter({
    bodyLimit: 1024 * 1024,
    // What Node's parser or Fastify's router refuse before Nest runs is a problem+json too.
    clientErrorHandler: clientErrorProblem,
    // (the router refuses those before the onRequest hooks: the security headers are added here).
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => {
      securityHeaders(request.raw, reply.raw, () => frameworkErrorProblem(error, request, reply));
    },
    trustProxy: loadConfig(options.env).http.trustProxy,
    genReqId: (req: IncomingMessage) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
      (req as { id?: string }).id = id;
      return id;
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(options), adapter, {
    bufferLogs: true, abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  // SIGTERM (docker stop, Kubernetes): requests under way finish, new connections are refused, then exit 0
  // (process.exit, which also lets pino flush; Nest would otherwise re-raise the signal: status 143).
  app.enableShutdownHooks([], { useProcessExit: true });
  app.getHttpAdapter().getInstance().addHook('onRequest', (request, reply, done) => {
    securityHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined));
  });
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 20 } });
  // R-ART41: gateways send large batches as NDJSON; the body is split (and each line parsed) by the journal.
  app.getHttpAdapter().getInstance().addContentTypeParser('application/x-ndjson', { parseAs: 'string', bodyLimit: MAX_NDJSON_BYTES },
    (_req: unknown, body: string | Buffer, done: (err: Error | null, body?: unknown) => void) => done(null, body.toString()));
  app.getHttpAdapter().getInstance().addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    // Answers carry personal data and tokens (RFC 6749 5.1): no shared or browser cache keeps them,
    // unless a route chose its own policy.
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
  // R-ART36 every decision is kept: those answered while the API drains (SIGTERM) are written once the last
  // request has been answered (Fastify's onClose comes after the requests under way), before the database closes.
  app.getHttpAdapter().getInstance().addHook('onClose', async () => app.get(DecisionRecorder).flush());
  observeHttpRequests(app.getHttpAdapter().getInstance(), app.get(Metrics));
  // Input no handler can take is a 400 before any handler runs: text with a NUL or a lone surrogate (PostgreSQL
  // cannot store them), structures nested deeper than any route reads (class-transformer would overflow the stack).
  app.getHttpAdapter().getInstance().addHook('preValidation', async (request) => {
    // R-INT a route that checks its body item by item (journal ingestion: one bad line never fails the batch) says so.
    const own = (request.routeOptions.config as { checksItemsItself?: boolean } | undefined)?.checksItemsItself;
    const problem = (own ? undefined : inputProblem(request.body)) ?? inputProblem(request.query);
    if (problem) throw CoreErrors.invalid(problem.code, problem.field, { field: problem.field, depth: MAX_INPUT_DEPTH });
  });
  app.useGlobalPipes(validationPipe());
  const document = SwaggerModule.createDocument(app, openApiConfig());
  document.components = { ...document.components, schemas: { ...document.components?.schemas, Problem: PROBLEM_SCHEMA } };
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  await serveConsole(app, loadConfig(options.env).web.dir);
  return app;
}

const MAX_INPUT_DEPTH = 32;
// A JSON escape such as "\ud800" alone is not Unicode: PostgreSQL's jsonb (audit trail, outbox) refuses it.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

type InputCode = 'INPUT_NUL' | 'INPUT_SURROGATE' | 'INPUT_TOO_DEEP';

/** Why a string (a value or a key) cannot be accepted, if it cannot (its code in core's catalogue). */
function textProblem(text: string): InputCode | undefined {
  if (text.includes('\u0000')) return 'INPUT_NUL';
  return LONE_SURROGATE.test(text) ? 'INPUT_SURROGATE' : undefined;
}

/** The first string or key that is not storable text, or the first value nested too deeply (path with dots, like validation errors). */
function inputProblem(value: unknown, path = '', depth = 0): { field: string; code: InputCode } | undefined {
  if (typeof value === 'string') {
    const code = textProblem(value);
    return code ? { field: path, code } : undefined;
  }
  if (!value || typeof value !== 'object' || Buffer.isBuffer(value)) return undefined;
  if (depth >= MAX_INPUT_DEPTH) return { field: path, code: 'INPUT_TOO_DEEP' };
  for (const [key, item] of Object.entries(value)) {
    const field = path ? `${path}.${key}` : key;
    const keyCode = textProblem(key);
    const found = keyCode ? { field, code: keyCode } : inputProblem(item, field, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function openApiConfig() {
  return new DocumentBuilder()
    .setTitle('Prestagate API')
    .setDescription(
      'Governs contractor (prestataire) access to a healthcare information system, after the CH du Mans contractor charter. ' +
      'Errors are RFC 9457 problem details (application/problem+json). People authenticate with password + TOTP and a bearer token; ' +
      'gateways with an API key in X-Api-Key.',
    )
    .setVersion('1')
    .addBearerAuth()
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }, 'gateway')
    .addGlobalResponse(...PROBLEM_RESPONSES)
    .build();
}
