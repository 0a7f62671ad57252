import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitUntil } from './waiting';

export interface Received {
  path: string;
  method: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
}

/** A downstream system (SIEM, IAM, bastion): a real HTTP server on 127.0.0.1 that records what it gets and answers as scripted. */
export class HttpReceiver {
  readonly requests: Received[] = [];
  private readonly scripts = new Map<string, number[]>();
  private constructor(private readonly server: Server) {}

  static async start(): Promise<HttpReceiver> {
    const server = createServer();
    const receiver = new HttpReceiver(server);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '/';
        receiver.requests.push({ path, method: req.method ?? '', headers: req.headers, rawBody: Buffer.concat(chunks).toString('utf8') });
        const status = receiver.scripts.get(path)?.shift() ?? 200;
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'receiver is broken');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  /** The next answers on this path, in order; 200 afterwards. */
  answer(path: string, ...statuses: number[]): void {
    this.scripts.set(path, statuses);
  }

  on(path: string): Received[] {
    return this.requests.filter((r) => r.path === path);
  }

  /** Bounded polling: the worker delivers in the background. */
  async waitFor(path: string, count = 1, timeoutMs = 15_000): Promise<Received[]> {
    await waitUntil(async () => this.on(path).length >= count, timeoutMs, `${count} request(s) on ${path}`);
    return this.on(path);
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** What a customer's receiver does: the HMAC over "<timestamp>.<raw body>" compared in constant time; stale at `nowMs` refused. */
export function signedBy(secret: string, req: Received, nowMs?: number): boolean {
  const timestamp = String(req.headers['x-prestagate-timestamp'] ?? '');
  if (nowMs !== undefined && Math.abs(nowMs / 1000 - Number(timestamp)) > 300) return false;
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${req.rawBody}`).digest('hex')}`);
  const given = Buffer.from(String(req.headers['x-prestagate-signature'] ?? ''));
  return /^\d+$/.test(timestamp) && given.length === expected.length && timingSafeEqual(given, expected);
}
