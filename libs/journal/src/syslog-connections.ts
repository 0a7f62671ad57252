import { Socket } from 'node:net';
import { Logger } from '@nestjs/common';

export type SyslogCloseReason = 'source_limit' | 'idle_timeout';

export interface SyslogConnectionLimits {
  idleTimeoutMs: number;
  maxPerSource: number;
}

/**
 * R-INT: at most `maxPerSource` connections per address (one host's half-open flood cannot starve a gateway); one silent
 * or holding a partial frame for `idleTimeoutMs` is closed. A held connection is paused (backpressure) and never idles out.
 */
export class SyslogConnections {
  private readonly log = new Logger('SyslogListener');
  readonly open = new Set<Socket>();
  private readonly held = new Set<Socket>();
  private readonly perSource = new Map<string, number>();
  private readonly warned = new Set<string>();
  private readonly partialSince = new WeakMap<Socket, number>();
  private lastRead = 0;

  constructor(
    private readonly limits: SyslogConnectionLimits,
    private readonly onClosed: (reason: SyslogCloseReason) => void,
  ) {}

  /** Counts the connection in, or closes it (false) when its source already holds its share. */
  admit(socket: Socket): boolean {
    const source = sourceOf(socket);
    const count = this.perSource.get(source) ?? 0;
    if (count >= this.limits.maxPerSource) {
      socket.destroy();
      this.onClosed('source_limit');
      if (!this.warned.has(source)) {
        this.warned.add(source);
        this.log.warn(
          { source, limit: this.limits.maxPerSource },
          'syslog: connections over the per-source limit are closed (SYSLOG_MAX_CONNECTIONS_PER_SOURCE)',
        );
      }
      return false;
    }
    this.perSource.set(source, count + 1);
    this.open.add(socket);
    socket.setTimeout(this.limits.idleTimeoutMs);
    socket.on('timeout', () => this.expire(socket));
    socket.on('close', () => {
      this.open.delete(socket);
      this.held.delete(socket);
      const left = (this.perSource.get(source) ?? 1) - 1;
      if (left > 0) return void this.perSource.set(source, left);
      this.perSource.delete(source);
      this.warned.delete(source);
    });
    return true;
  }

  /**
   * After each chunk read: a connection that has completed no frame for the idle timeout while holding
   * the start of one is dripping it (slow loris), and is closed.
   */
  framing(socket: Socket, framesCompleted: number, pendingBytes: number): void {
    this.lastRead = Date.now();
    if (!pendingBytes) return void this.partialSince.delete(socket);
    const since = this.partialSince.get(socket);
    if (since === undefined || framesCompleted > 0) this.partialSince.set(socket, Date.now());
    else if (Date.now() - since > this.limits.idleTimeoutMs) this.expire(socket);
  }

  /**
   * Resolves once no connection has sent anything for `quietMs` (nothing is in flight: a reset then loses no frame,
   * the sender's next write fails and is sent again), or once none is open, or after `capMs`.
   */
  async quiet(quietMs: number, capMs: number): Promise<void> {
    const until = Date.now() + capMs;
    this.lastRead = Date.now();
    while (this.open.size && Date.now() < until && Date.now() - this.lastRead < quietMs) {
      await new Promise((resolve) => setTimeout(resolve, 25).unref());
    }
  }

  isHeld(socket: Socket): boolean {
    return this.held.has(socket);
  }

  hold(socket: Socket): void {
    if (this.held.has(socket) || socket.destroyed) return;
    socket.pause();
    socket.setTimeout(0);
    this.held.add(socket);
  }

  holdAll(): void {
    for (const socket of this.open) this.hold(socket);
  }

  releaseAll(): void {
    for (const socket of this.held) {
      socket.setTimeout(this.limits.idleTimeoutMs);
      socket.resume();
    }
    this.held.clear();
  }

  private expire(socket: Socket): void {
    if (socket.destroyed || this.held.has(socket)) return;
    socket.destroy();
    this.onClosed('idle_timeout');
  }
}

/** The peer's address, an IPv4 client of a dual-stack listener counted as the IPv4 address it is. */
function sourceOf(socket: Socket): string {
  return (socket.remoteAddress ?? 'unknown').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
}
