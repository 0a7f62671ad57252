import { hostname } from 'node:os';
import { AddressInfo, Server, Socket } from 'node:net';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig, Secrets } from '@app/core';
import { ApiKeysService } from '@app/identity';
import { IngestionService } from './ingestion.service';
import { JournalMetrics } from './journal-metrics';
import { parseSyslogMessage, SyslogFramer } from './syslog';
import { SyslogConnections } from './syslog-connections';
import { SyslogCounts, SyslogStats } from './syslog-counts';
import { SyslogGateways } from './syslog-gateways';
import { isOutage, SyslogReplay } from './syslog-replay';
import { openSyslogServer, SyslogTlsFiles } from './syslog-servers';
import { SpooledEvent, SyslogSpool } from './syslog-spool';

/** Events of one gateway are ingested in batches of this many at most... */
export const SYSLOG_BATCH = 1000;
/** ...or at least this often. */
export const SYSLOG_FLUSH_MS = 500;
/** At shutdown, senders silent this long have nothing in flight; one that never pauses is reset after the cap. */
const [CLOSE_QUIET_MS, CLOSE_DRAIN_MS] = [300, 10_000];
/** Above this many buffered events, connections are paused (TCP backpressure: the sender's queue holds them). */
const HIGH_WATER = 10 * SYSLOG_BATCH;
/** A batch PostgreSQL keeps refusing (not an outage) is retried at this many ticks, then spooled like an outage's. */
const MAX_ATTEMPTS = 20;
interface Pending {
  events: unknown[];
  attempts: number;
}

/**
 * R-ART41: the journal over syslog (RFC 5424 over TCP or TLS, RFC 6587 framing), API process only, on the ports configured;
 * R-INT: a frame read is never lost, spooled while PostgreSQL is away (docs/adr/journal-syslog.md).
 */
@Injectable()
export class SyslogListener implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('SyslogListener');
  private readonly servers: Server[] = [];
  private readonly tcp = new WeakMap<Socket, Socket>(); // a connection's TCP socket (under TLS: the one below)
  private readonly connections: SyslogConnections;
  private spool: SyslogSpool | null = null;
  /** Keyed by the API key as sent (kept in memory only, never logged nor spooled). */
  private readonly buffers = new Map<string, Pending>();
  /** The drain running for a key: one at a time, so that a gateway's batches keep their order. */
  private readonly running = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private buffered = 0;
  /** R-INT: PostgreSQL unreachable (or the spool not replayed yet): read nothing, spool what was read. */
  private spooling = false;
  private replayer: SyslogReplay | null = null;
  private replaying: Promise<void> | null = null;
  private spoolFailing = false;
  private readonly counts = new SyslogCounts(this.log);
  private readonly gateways: SyslogGateways;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly ingestion: IngestionService,
    apiKeys: ApiKeysService,
    private readonly secrets: Secrets,
    private readonly metrics: JournalMetrics,
  ) {
    this.connections = new SyslogConnections(
      { idleTimeoutMs: config.journal.syslogIdleTimeoutMs, maxPerSource: config.journal.syslogMaxConnectionsPerSource },
      (reason) => metrics.countSyslogClosed(reason),
    );
    this.gateways = new SyslogGateways(ingestion, apiKeys, this.counts);
  }

  onApplicationBootstrap(): Promise<void> {
    return this.open();
  }

  onModuleDestroy(): Promise<void> {
    return this.close();
  }

  /** The ports the configuration names: plain TCP (SYSLOG_PORT, a local relay), TLS (SYSLOG_TLS_PORT, RFC 5425). */
  async open(): Promise<void> {
    const { syslogPort, syslogTls } = this.config.journal;
    if (syslogPort) await this.listen(syslogPort, this.config.http.host);
    if (syslogTls) await this.listen(syslogTls.port, this.config.http.host, syslogTls);
  }

  /** Opens a port (0: any free port, for tests), TLS when given its files; answers the port bound. */
  async listen(port: number, host = this.config.http.host, tls?: SyslogTlsFiles): Promise<number> {
    const server = await openSyslogServer(port, host, (socket, raw) => this.accept(socket, raw), tls);
    server.on('error', (error) => this.log.error({ err: error }, 'syslog listener error'));
    this.servers.push(server);
    const bound = (server.address() as AddressInfo).port;
    if (this.servers.length === 1) this.startSpool(bound);
    this.log.log(`Syslog (RFC 5424 over ${tls ? 'TLS, RFC 5425' : 'TCP'}) listening on ${host}:${bound}`);
    return bound;
  }

  /** The spool of this opening, named after its first port; what a previous process left is replayed before anything is read. */
  private startSpool(port: number): void {
    this.spool = new SyslogSpool(this.config.journal.spoolDir, `syslog-${hostname()}-${port}`);
    this.replayer = new SyslogReplay(this.spool, this.metrics, (keyHash, events) => this.gateways.storeSpooled(keyHash, events));
    if (this.spool.size) {
      this.spool.sealTornTail();
      this.log.warn({ spool: this.spool.path, bytes: this.spool.size }, 'syslog: replaying the previous run\'s spool before reading');
      this.setSpooling(true);
    }
    this.timer = setInterval(() => this.tick(), SYSLOG_FLUSH_MS);
    this.timer.unref();
  }

  stats(): SyslogStats {
    return this.counts.stats(this.spooling);
  }

  /** Stops accepting, reads what the open connections already sent, then stores or spools every buffered event. */
  async close(): Promise<void> {
    const servers = this.servers.splice(0);
    if (!servers.length) return;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const closed = Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    this.connections.releaseAll();
    for (const socket of this.connections.open) socket.end();
    // Read until the senders are quiet, then reset what is still open (R-GW: a sender that never reads, such as rsyslog,
    // sees its next write fail and sends it again; nothing was in flight to lose; docs/adr/journal-syslog.md).
    await Promise.race([closed, this.connections.quiet(CLOSE_QUIET_MS, CLOSE_DRAIN_MS)]);
    for (const socket of this.connections.open) {
      this.tcp.get(socket)?.resetAndDestroy();
      socket.destroy();
    }
    await this.replaying;
    if (!this.spooling) await this.flushAll();
    await Promise.all(this.running.values());
    this.spoolBuffers();
    if (this.buffered) {
      this.log.error({ events: this.buffered, spool: this.spool?.path }, 'syslog events neither stored nor spooled at shutdown');
      this.metrics.countSpool('dropped', this.buffered);
      this.counts.drop('failed', this.buffered);
      this.buffers.clear();
      this.buffered = 0;
    }
    this.spool?.close();
    this.counts.report(true);
  }

  private accept(socket: Socket, raw: Socket | undefined): void {
    if (!this.connections.admit(socket)) return;
    if (raw) this.tcp.set(socket, raw);
    if (this.spooling) this.connections.hold(socket);
    const framer = new SyslogFramer();
    const take = (frames: ReturnType<SyslogFramer['push']>) => {
      for (const frame of frames) {
        this.counts.received++;
        const parsed = 'message' in frame ? parseSyslogMessage(frame.message) : frame;
        if ('error' in parsed) this.counts.drop('unparsable', 1);
        else this.enqueue(parsed.apiKey, parsed.event, socket);
      }
      // Read while the listener was already spooling (a chunk in flight): on disk before anything else.
      if (this.spooling) this.spoolBuffers();
      if (framer.fatal) socket.destroy();
    };
    socket.on('data', (chunk: Buffer) => {
      const frames = framer.push(chunk);
      take(frames);
      this.connections.framing(socket, frames.length, framer.pendingBytes);
    });
    socket.on('end', () => take(framer.end()));
    socket.on('error', (error) => this.log.debug({ err: error }, 'syslog connection error'));
  }

  private enqueue(apiKey: string, event: unknown, socket: Socket): void {
    const pending = this.buffers.get(apiKey) ?? { events: [], attempts: 0 };
    pending.events.push(event);
    this.buffers.set(apiKey, pending);
    this.buffered++;
    if (!this.spooling && pending.events.length >= this.batchSize) void this.drain(apiKey, false);
    if (this.buffered >= HIGH_WATER) this.connections.hold(socket);
  }

  private get batchSize(): number {
    return Math.min(SYSLOG_BATCH, this.ingestion.maxBatch);
  }

  private tick(): void {
    if (this.spooling) {
      this.spoolBuffers();
      void this.replay();
    } else {
      void this.flushAll();
    }
    this.counts.report(false);
  }

  private async flushAll(): Promise<void> {
    // The keys being drained too: a drain the timer started holds events already taken out of the
    // buffers, and the shutdown must wait until they are stored (else the pool closes under them).
    const keys = new Set([...this.buffers.keys(), ...this.running.keys()]);
    await Promise.all([...keys].map((key) => this.drain(key, true)));
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
        if (this.spooling || !pending?.events.length || (!partial && pending.events.length < this.batchSize)) return;
        if (!(await this.ingestBatch(apiKey, pending))) return;
      }
    })().finally(() => {
      this.running.delete(apiKey);
      // The batch it held, back in the buffer after a failure, follows the outage into the spool in order.
      if (this.spooling) this.spoolBuffers();
    });
    this.running.set(apiKey, work);
    return work;
  }

  /** One batch; false when it could not be stored (back at the head of the buffer, spooled if PostgreSQL is gone). */
  private async ingestBatch(apiKey: string, pending: Pending): Promise<boolean> {
    const events = pending.events.splice(0, this.batchSize);
    if (!pending.events.length) this.buffers.delete(apiKey);
    this.buffered -= events.length;
    this.resumeIfDrained();
    try {
      await this.gateways.storeLive(apiKey, events);
      pending.attempts = 0;
      return true;
    } catch (error) {
      const current = this.buffers.get(apiKey) ?? { events: [], attempts: pending.attempts };
      current.events.unshift(...events);
      current.attempts = pending.attempts + 1;
      this.buffers.set(apiKey, current);
      this.buffered += events.length;
      if (isOutage(error) || current.attempts >= MAX_ATTEMPTS) this.startSpooling(error);
      else this.log.warn({ err: error, events: events.length, attempt: current.attempts }, 'syslog batch not stored yet; retrying');
      return false;
    }
  }

  private startSpooling(error: unknown): void {
    if (!this.spooling) {
      const why = { err: error, spool: this.spool?.path };
      this.log.warn(why, 'syslog: PostgreSQL unreachable; reading paused, events read so far go to the spool');
      this.setSpooling(true);
    }
    this.spoolBuffers();
  }

  private setSpooling(on: boolean): void {
    this.spooling = on;
    this.metrics.syslogPaused(on);
    if (on) this.connections.holdAll();
    else this.resumeIfDrained();
  }

  /** Every buffer whose key is not being drained goes to the spool, synced; kept in memory if the disk refuses. */
  private spoolBuffers(): void {
    const keys = [...this.buffers.keys()].filter((key) => !this.running.has(key));
    const records: SpooledEvent[] = [];
    for (const key of keys) {
      const keyHash = this.secrets.lookupHash(key);
      for (const event of this.buffers.get(key)!.events) records.push({ keyHash, event });
    }
    if (!records.length || !this.spool) return;
    try {
      this.spool.append(records);
    } catch (error) {
      const why = { err: error, spool: this.spool.path };
      if (!this.spoolFailing) this.log.error(why, 'syslog: the spool cannot be written; events kept in memory, reading stays paused');
      this.spoolFailing = true;
      return;
    }
    this.spoolFailing = false;
    for (const key of keys) this.buffers.delete(key);
    this.buffered -= records.length;
    this.metrics.countSpool('spooled', records.length);
  }

  /** Replays the spool from where it stands; reads again once it is empty. One replay at a time. */
  private replay(): Promise<void> {
    this.replaying ??= this.replayer!.run(this.batchSize, () => !this.running.size)
      .then((done) => {
        if (!done) return;
        this.log.log('syslog: spool replayed; reading again');
        this.setSpooling(false);
      })
      .finally(() => {
        this.replaying = null;
      });
    return this.replaying;
  }

  private resumeIfDrained(): void {
    if (this.spooling || this.buffered > HIGH_WATER / 2) return;
    this.connections.releaseAll();
  }
}
