import { closeSync, fdatasyncSync, fsyncSync, mkdirSync, openSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** One spooled event: the gateway by its key's keyed hash (never the key), and the event as parsed. */
export interface SpooledEvent {
  keyHash: string;
  event: unknown;
}

/** A line read back: the event, or null when the line cannot be read (torn by a crash, edited by hand). */
export interface SpoolLine {
  raw: string;
  record: SpooledEvent | null;
  /** Bytes of the line with its LF, so the reader knows where the next one starts. */
  bytes: number;
}

const LF = 0x0a;
/** Read back this much at a time (frames are 64 KiB at most, so a chunk always holds whole lines). */
const READ_CHUNK = 1 << 20;

/**
 * R-INT: the syslog spool, append-only NDJSON (`{"h": keyHash, "e": event}`) named after host and port (docs/adr/journal-syslog.md).
 * An append returns once the bytes are on disk (fdatasync, and the directory for a new file); unstorable lines go to a quarantine file.
 */
export class SyslogSpool {
  readonly path: string;
  readonly quarantinePath: string;
  private fd: number | null = null;

  constructor(private readonly dir: string, name: string) {
    this.path = join(dir, `${name}.ndjson`);
    this.quarantinePath = join(dir, `${name}.quarantine.ndjson`);
  }

  get size(): number {
    try {
      return statSync(this.path).size;
    } catch {
      return 0;
    }
  }

  /** Written and synced, or throws (the caller keeps the events in memory). */
  append(events: SpooledEvent[]): void {
    if (!events.length) return;
    this.fd ??= this.open(this.path);
    writeAll(this.fd, events.map((e) => JSON.stringify({ h: e.keyHash, e: e.event })).join('\n') + '\n');
    fdatasyncSync(this.fd);
  }

  /**
   * A crash during an append can leave a last line without its LF: it is closed, so that it reads as
   * one unreadable line instead of gluing itself to the next append.
   */
  sealTornTail(): void {
    const size = this.size;
    if (!size) return;
    const fd = openSync(this.path, 'r');
    const last = Buffer.alloc(1);
    try {
      readSync(fd, last, 0, 1, size - 1);
    } finally {
      closeSync(fd);
    }
    if (last[0] === LF) return;
    this.fd ??= this.open(this.path);
    writeAll(this.fd, '\n');
    fdatasyncSync(this.fd);
  }

  /** Whole lines from byte `offset`, `max` at most. */
  read(offset: number, max: number): SpoolLine[] {
    const size = this.size;
    if (offset >= size) return [];
    const fd = openSync(this.path, 'r');
    const buffer = Buffer.alloc(Math.min(READ_CHUNK, size - offset));
    try {
      readSync(fd, buffer, 0, buffer.length, offset);
    } finally {
      closeSync(fd);
    }
    const lines: SpoolLine[] = [];
    for (let at = 0; lines.length < max;) {
      const lf = buffer.indexOf(LF, at);
      if (lf < 0) break;
      const raw = buffer.subarray(at, lf).toString('utf8');
      lines.push({ raw, record: parseLine(raw), bytes: lf + 1 - at });
      at = lf + 1;
    }
    return lines;
  }

  /** Sets lines aside for an operator (docs/operations.md): synced like the spool. */
  quarantine(lines: SpoolLine[]): void {
    const fd = this.open(this.quarantinePath);
    try {
      writeAll(fd, lines.map((l) => l.raw).join('\n') + '\n');
      fdatasyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** Everything in it is stored: the file goes. */
  remove(): void {
    this.close();
    rmSync(this.path, { force: true });
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private open(path: string): number {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const existed = statSafe(path);
    const fd = openSync(path, 'a', 0o600);
    if (!existed) syncDirectory(this.dir);
    return fd;
  }
}

function parseLine(raw: string): SpooledEvent | null {
  try {
    const parsed = JSON.parse(raw) as { h?: unknown; e?: unknown };
    return typeof parsed.h === 'string' && parsed.e && typeof parsed.e === 'object' ? { keyHash: parsed.h, event: parsed.e } : null;
  } catch {
    return null;
  }
}

function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at);
}

function statSafe(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The new file's directory entry, on disk too (else a crash can lose the file with its synced content). */
function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
