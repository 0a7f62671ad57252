import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { collectDefaultMetrics } from 'prom-client';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { PROBLEM_CONTENT_TYPE, problemType } from '../errors/problem.filter';
import { UNAVAILABLE_RETRY_AFTER_SECONDS } from '../errors/unavailable';
import { Metrics } from './metrics';

/**
 * GET /metrics on a listener of its own (METRICS_HOST:METRICS_PORT, 127.0.0.1:9464 by default, port 0: none), for the
 * monitoring network only; METRICS_TOKEN asks for a bearer token. Started by main.ts: tests build many applications.
 */
@Injectable()
export class MetricsServer implements OnApplicationShutdown {
  private readonly log = new Logger('Metrics');
  private server?: Server;
  private readonly tokenDigest: Buffer | null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {
    this.tokenDigest = config.metrics.token ? digest(config.metrics.token) : null;
  }

  /**
   * Listens; answers where, or null when disabled or the port cannot be bound (logged: the API
   * keeps serving without its metrics rather than stopping).
   */
  async listen(): Promise<AddressInfo | null> {
    const { host, port } = this.config.metrics;
    if (port === 0) return null;
    collectDefaultMetrics({ register: this.metrics.registry });
    const server = createServer((req, res) => void this.handle(req, res));
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
    } catch (error) {
      this.log.error(`Metrics not served: cannot listen on ${host}:${port} (${(error as Error).message}); set METRICS_PORT`);
      return null;
    }
    this.server = server;
    this.log.log(`Metrics on http://${host}:${port}/metrics${this.tokenDigest ? ' (bearer token required)' : ''}`);
    return server.address() as AddressInfo;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') return problem(res, 404, 'NOT_FOUND', 'Metrics are served at /metrics');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return problem(res, 405, 'METHOD_NOT_ALLOWED', 'Only GET and HEAD are accepted');
    }
    if (!this.authorized(req.headers.authorization)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      return problem(res, 401, 'UNAUTHENTICATED', 'A valid metrics bearer token is required');
    }
    try {
      const body = await this.metrics.scrape();
      res.writeHead(200, { 'Content-Type': this.metrics.contentType, 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (error) {
      this.log.error(`Metrics exposition failed: ${(error as Error).message}`);
      res.setHeader('Retry-After', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
      problem(res, 503, 'SERVICE_UNAVAILABLE', 'The metrics could not be gathered; try again');
    }
  }

  private authorized(header: string | undefined): boolean {
    if (!this.tokenDigest) return true;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    return !!match && timingSafeEqual(digest(match[1]), this.tokenDigest);
  }
}

/** Equal-length digests, so the comparison takes the same time whatever the token sent. */
function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

function problem(res: ServerResponse, status: number, code: string, detail: string): void {
  const title = { 401: 'Unauthorized', 404: 'Not Found', 405: 'Method Not Allowed', 503: 'Service Unavailable' }[status] ?? 'Error';
  res.writeHead(status, { 'Content-Type': PROBLEM_CONTENT_TYPE });
  res.end(JSON.stringify({ type: problemType(code), title, status, detail, code }));
}
