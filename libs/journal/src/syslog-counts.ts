import { Logger } from '@nestjs/common';

/** Dropped lines are reported in one warning at most this often. */
const WARN_EVERY_MS = 10_000;

export type SyslogDropReason = 'unparsable' | 'unauthenticated' | 'rejected' | 'failed';

export interface SyslogStats {
  received: number;
  accepted: number;
  duplicates: number;
  dropped: Record<SyslogDropReason, number>;
  /** R-INT: reading is paused while what was read goes to the spool and comes back from it. */
  spooling: boolean;
}

/** What the syslog listener read, stored and dropped: syslog has no answer to send back, so drops are counted and logged. */
export class SyslogCounts {
  received = 0;
  accepted = 0;
  duplicates = 0;
  private readonly dropped: Record<SyslogDropReason, number> = { unparsable: 0, unauthenticated: 0, rejected: 0, failed: 0 };
  private unreported: Partial<Record<SyslogDropReason, number>> = {};
  private lastWarning = 0;

  constructor(private readonly log: Logger) {}

  drop(reason: SyslogDropReason, n: number): void {
    this.dropped[reason] += n;
    this.unreported[reason] = (this.unreported[reason] ?? 0) + n;
  }

  stats(spooling: boolean): SyslogStats {
    return { received: this.received, accepted: this.accepted, duplicates: this.duplicates, dropped: { ...this.dropped }, spooling };
  }

  /** One warning with the counts (never a key nor a line: they may hold credentials). */
  report(force: boolean): void {
    const total = Object.values(this.unreported).reduce((a, b) => a + b, 0);
    if (!total || (!force && Date.now() - this.lastWarning < WARN_EVERY_MS)) return;
    this.log.warn({ dropped: this.unreported }, `syslog: ${total} line(s) dropped (unparsable, bad or revoked API key, or refused events)`);
    this.unreported = {};
    this.lastWarning = Date.now();
  }
}
