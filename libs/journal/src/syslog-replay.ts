import { Logger } from '@nestjs/common';
import { isServiceUnavailable } from '@app/core';
import { JournalMetrics } from './journal-metrics';
import { SpoolLine, SyslogSpool } from './syslog-spool';
import { JournalUnavailable } from './unavailable';

/** A spooled batch PostgreSQL keeps refusing (not an outage) is set aside in the quarantine file after this many replays. */
const MAX_REPLAYS = 5;

/** What the replay needs from the listener: ingest one gateway's events, known by its key's hash, as live ones are. */
export type StoreSpooled = (keyHash: string, events: unknown[]) => Promise<void>;

export function isOutage(error: unknown): boolean {
  return error instanceof JournalUnavailable || isServiceUnavailable(error);
}

/**
 * R-ART41 R-INT: replays the syslog spool in the order it was written, one gateway's run of lines at a
 * time, remembering where it stands; an outage stops it until the next try. A run PostgreSQL keeps
 * refusing, or a line that cannot be read, goes to the quarantine file and is counted as dropped.
 */
export class SyslogReplay {
  private readonly log = new Logger('SyslogListener');
  private offset = 0;
  private failures = 0;

  constructor(
    private readonly spool: SyslogSpool,
    private readonly metrics: JournalMetrics,
    private readonly store: StoreSpooled,
  ) {}

  /** True once the spool is replayed to its end and removed; `mayFinish` says whether nothing is on its way to it. */
  async run(batchSize: number, mayFinish: () => boolean): Promise<boolean> {
    for (;;) {
      const lines = this.spool.read(this.offset, batchSize);
      if (!lines.length) {
        if (!mayFinish()) return false;
        this.spool.remove();
        this.offset = 0;
        return true;
      }
      const other = lines.findIndex((l) => !l.record || l.record.keyHash !== lines[0].record?.keyHash);
      const run = lines.slice(0, other > 0 ? other : other < 0 ? lines.length : 1);
      if (!(await this.replayRun(run))) return false;
      this.offset += run.reduce((n, l) => n + l.bytes, 0);
    }
  }

  /** True when the run is done with (stored, refused, or quarantined); false to try again later. */
  private async replayRun(run: SpoolLine[]): Promise<boolean> {
    if (!run[0].record) return this.quarantine(run, 'an unreadable spool line');
    try {
      await this.store(run[0].record.keyHash, run.map((l) => l.record!.event));
    } catch (error) {
      if (isOutage(error) || ++this.failures < MAX_REPLAYS) return false;
      return this.quarantine(run, (error as Error).message);
    }
    this.failures = 0;
    this.metrics.countSpool('replayed', run.length);
    return true;
  }

  /** Set aside for an operator (docs/operations.md), counted as dropped: never silently gone. */
  private quarantine(run: SpoolLine[], why: string): boolean {
    try {
      this.spool.quarantine(run);
    } catch (error) {
      this.log.error({ err: error }, 'syslog: the quarantine file cannot be written; the replay waits');
      return false;
    }
    this.failures = 0;
    this.metrics.countSpool('dropped', run.length);
    const set = { events: run.length, quarantine: this.spool.quarantinePath, why };
    this.log.error(set, 'syslog: spooled events set aside in the quarantine file');
    return true;
  }
}
