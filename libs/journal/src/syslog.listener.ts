import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig, ApiKeyScope, GatewayPrincipal, UnauthorizedError } from '@app/core';
import { ApiKeysService } from '@app/identity';
import { IngestionService } from './ingestion.service';
import { parseSyslogMessage, SyslogFramer } from './syslog';

/** Events of one gateway are ingested in batches of this many at most... */
export const SYSLOG_BATCH = 1000;
/** ...or at least this often. */
export const SYSLOG_FLUSH_MS = 500;
/** Above this many buffered events, connections are paused (TCP backpressure: the sender's queue holds them). */
const HIGH_WATER = 10 * SYSLOG_BATCH;
/** A batch that keeps failing (database down) is retried at this many ticks, then dropped and logged. */
const MAX_ATTEMPTS = 20;
/** Dropped lines are reported in one warning at most this often. */
const WARN_EVERY_MS = 10_000;

export type SyslogDropReason = 'unparsable' | 'unauthenticated' | 'rejected' | 'failed';

export interface SyslogStats {
  received: number;
  accepted: number;
  duplicates: number;
  dropped: Record<SyslogDropReason, number>;
}

interface Pending {
  events: unknown[];
  attempts: number;
}

/**
 * R-ART41: the connection journal over syslog (RFC 5424 over TCP, RFC 6587 framing), for gateways
 * that forward logs instead of calling the API. Started by the API process only, when SYSLOG_PORT is
 * set. Each message carries its gateway's API key (scope `connections`); events are buffered per key
 * and ingested like the API's (idempotent on the event id, sealed, correlated), in batches. Lines that
 * cannot be read or authenticated are dropped and counted: syslog has no answer to send back.
 */
@Injectable()
export class SyslogListener implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('SyslogListener');
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private readonly paused = new Set<Socket>();
  /** Keyed by the API key as sent (kept in memory only, never logged). */
  private readonly buffers = new Map<string, Pending>();
  /** The drain running for a key: one at a time, so that a gateway's batches keep their order. */
  private readonly running = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private buffered = 0;
  private readonly counts: SyslogStats = { received: 0, accepted: 0, duplicates: 0, dropped: { unparsable: 0, unauthenticated: 0, rejected: 0, failed: 0 } };
  private unreported: Partial<Record<SyslogDropReason, number>> = {};
  private lastWarning = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly ingestion: IngestionService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.journal.syslogPort) await this.listen(this.config.journal.syslogPort, this.config.http.host);
  }

  onModuleDestroy(): Promise<void> {
    return this.close();
  }

  /** Opens the TCP port (0: any free port, for tests); answers the port bound. */
  async listen(port: number, host = this.config.http.host): Promise<number> {
    if (this.server) throw new Error('The syslog listener is already open');
    const server = createServer((socket) => this.accept(socket));
    server.maxConnections = 1000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (error) => this.log.error({ err: error }, 'syslog listener error'));
    this.server = server;
    this.timer = setInterval(() => this.tick(), SYSLOG_FLUSH_MS);
    this.timer.unref();
    const bound = (server.address() as AddressInfo).port;
    this.log.log(`Syslog (RFC 5424 over TCP) listening on ${host}:${bound}`);
    return bound;
  }

  stats(): SyslogStats {
    return { ...this.counts, dropped: { ...this.counts.dropped } };
  }

  /** Stops accepting, reads what the open connections already sent, ingests every buffered event. */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) {
      socket.resume();
      socket.end();
    }
    // Give the peers' FINs a moment; whatever is still open then is cut.
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
    for (const socket of this.sockets) socket.destroy();
    await this.flushAll(true);
    this.reportDrops(true);
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.setKeepAlive(true, 60_000);
    const framer = new SyslogFramer();
    const take = (frames: ReturnType<SyslogFramer['push']>) => {
      for (const frame of frames) {
        this.counts.received++;
        const parsed = 'message' in frame ? parseSyslogMessage(frame.message) : frame;
        if ('error' in parsed) this.drop('unparsable', 1);
        else this.enqueue(parsed.apiKey, parsed.event, socket);
      }
      if (framer.fatal) socket.destroy();
    };
    socket.on('data', (chunk: Buffer) => take(framer.push(chunk)));
    socket.on('end', () => take(framer.end()));
    socket.on('error', (error) => this.log.debug({ err: error }, 'syslog connection error'));
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.paused.delete(socket);
    });
  }

  private enqueue(apiKey: string, event: unknown, socket: Socket): void {
    const pending = this.buffers.get(apiKey) ?? { events: [], attempts: 0 };
    pending.events.push(event);
    this.buffers.set(apiKey, pending);
    this.buffered++;
    if (pending.events.length >= this.batchSize) void this.drain(apiKey, false);
    if (this.buffered >= HIGH_WATER && !this.paused.has(socket)) {
      socket.pause();
      this.paused.add(socket);
    }
  }

  private get batchSize(): number {
    return Math.min(SYSLOG_BATCH, this.ingestion.maxBatch);
  }

  private tick(): void {
    void this.flushAll(false);
    this.reportDrops(false);
  }

  private async flushAll(final: boolean): Promise<void> {
    for (let round = 0; round < (final ? MAX_ATTEMPTS : 1) && (round === 0 || this.buffers.size > 0); round++) {
      // The keys being drained too: a drain the timer started holds events already taken out of the
      // buffers, and the shutdown must wait until they are stored (else the pool closes under them).
      const keys = new Set([...this.buffers.keys(), ...this.running.keys()]);
      await Promise.all([...keys].map((key) => this.drain(key, true)));
    }
    if (!final || !this.buffered) return;
    this.log.error({ events: this.buffered }, 'syslog events not stored at shutdown');
    this.drop('failed', this.buffered);
    this.buffers.clear();
    this.buffered = 0;
  }

  /**
   * Ingests the key's buffer in batches, one drain at a time per key (a gateway's batches keep their
   * order); `partial`: also the last, incomplete batch (the timer's and the shutdown's flush).
   */
  private drain(apiKey: string, partial: boolean): Promise<void> {
    const running = this.running.get(apiKey);
    if (running) return running;
    const work = (async () => {
      for (;;) {
        const pending = this.buffers.get(apiKey);
        if (!pending?.events.length || (!partial && pending.events.length < this.batchSize)) return;
        if (!(await this.ingestBatch(apiKey, pending))) return;
      }
    })().finally(() => this.running.delete(apiKey));
    this.running.set(apiKey, work);
    return work;
  }

  /** One batch; false when it could not be stored (kept for the next tick, a bounded number of times). */
  private async ingestBatch(apiKey: string, pending: Pending): Promise<boolean> {
    const events = pending.events.splice(0, this.batchSize);
    if (!pending.events.length) this.buffers.delete(apiKey);
    this.buffered -= events.length;
    this.resumeIfDrained();
    try {
      const gateway = await this.gatewayOf(apiKey);
      if (!gateway) {
        this.drop('unauthenticated', events.length);
        return true;
      }
      const result = await this.ingestion.ingest({ tenantId: gateway.tenantId, apiKeyId: gateway.apiKeyId, via: 'syslog' }, events);
      this.counts.accepted += result.accepted;
      this.counts.duplicates += result.duplicates;
      if (result.rejected.length) this.drop('rejected', result.rejected.length);
      pending.attempts = 0;
      return true;
    } catch (error) {
      const attempts = pending.attempts + 1;
      if (attempts >= MAX_ATTEMPTS) {
        this.log.error({ err: error, events: events.length }, 'syslog batch dropped after repeated failures');
        this.drop('failed', events.length);
        pending.attempts = 0;
        return true;
      }
      this.log.warn({ err: error, events: events.length, attempt: attempts }, 'syslog batch not stored yet; retrying');
      const current = this.buffers.get(apiKey) ?? { events: [], attempts };
      current.events.unshift(...events);
      current.attempts = attempts;
      this.buffers.set(apiKey, current);
      this.buffered += events.length;
      return false;
    }
  }

  /** The key is checked at each batch, so that a revoked key stops feeding the journal within one batch. */
  private async gatewayOf(apiKey: string): Promise<GatewayPrincipal | null> {
    try {
      const principal = await this.apiKeys.authenticate(apiKey);
      return principal.scopes.includes(ApiKeyScope.Connections) ? principal : null;
    } catch (error) {
      if (error instanceof UnauthorizedError) return null;
      throw error;
    }
  }

  private resumeIfDrained(): void {
    if (this.buffered > HIGH_WATER / 2) return;
    for (const socket of this.paused) socket.resume();
    this.paused.clear();
  }

  private drop(reason: SyslogDropReason, n: number): void {
    this.counts.dropped[reason] += n;
    this.unreported[reason] = (this.unreported[reason] ?? 0) + n;
  }

  /** One warning with the counts (never a key nor a line: they may hold credentials). */
  private reportDrops(force: boolean): void {
    const total = Object.values(this.unreported).reduce((a, b) => a + b, 0);
    if (!total || (!force && Date.now() - this.lastWarning < WARN_EVERY_MS)) return;
    this.log.warn({ dropped: this.unreported }, `syslog: ${total} line(s) dropped (unparsable, bad or revoked API key, or refused events)`);
    this.unreported = {};
    this.lastWarning = Date.now();
  }
}
