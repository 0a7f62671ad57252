import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, Clock, Db, isServiceUnavailable, TenantScope } from '@app/core';
import { TenantsService } from '@app/identity';
import { JournalErrors } from './errors';
import { IncomingEvent, MALFORMED, parseEvent, Rejection } from './events';
import { IngestionRepository, NewBatch, NewConnectionEvent } from './ingestion.repository';
import { JournalMetrics } from './journal-metrics';
import { monthOf } from './partitions';
import { JournalPartitions } from './partitions.repository';
import { JournalSeal } from './seal.service';
import { JournalUnavailable } from './unavailable';

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: Rejection[];
  batchId: string | null;
}

export interface IngestSource {
  tenantId: string;
  /** The gateway: its API key id. Event ids are unique per gateway. */
  apiKeyId: string | null;
  via: 'api' | 'syslog';
}

/** What a session's close report changes in its opening. */
const closing = (close: IncomingEvent, open: IncomingEvent): Partial<IncomingEvent> =>
  ({ endedAt: close.endedAt, outcome: close.outcome, recordingRef: close.recordingRef ?? open.recordingRef });

/** How far ahead of the clock a gateway's instant may be. */
const FUTURE_SLACK_MS = 5 * 60_000;

/**
 * R-ART41 ingestion: nominative, timestamped, idempotent on the gateway's event id; one bad event never
 * loses the good ones. A batch is a few set-based statements in one transaction (docs/adr/journal-ingestion.md).
 */
@Injectable()
export class IngestionService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: Db,
    private readonly repo: IngestionRepository,
    private readonly seals: JournalSeal,
    private readonly partitions: JournalPartitions,
    private readonly tenants: TenantsService,
    private readonly clock: Clock,
    private readonly metrics: JournalMetrics,
  ) {}

  get maxBatch(): number {
    return this.config.journal.maxBatch;
  }

  /** R-INT: all or nothing; while PostgreSQL is unreachable, JournalUnavailable (503, Retry-After) and nothing is accepted. */
  async ingest(source: IngestSource, raws: unknown[]): Promise<IngestResult> {
    if (raws.length > this.maxBatch) {
      throw JournalErrors.invalid('BATCH_TOO_LARGE', 'events', { max: this.maxBatch, count: raws.length });
    }
    try {
      return await this.store(source, raws);
    } catch (error) {
      if (isServiceUnavailable(error)) throw new JournalUnavailable();
      throw error;
    }
  }

  private async store(source: IngestSource, raws: unknown[]): Promise<IngestResult> {
    const now = this.clock.now();
    const { events, rejected, duplicates } = await this.sort(source, raws, now);
    if (!events.length) return this.counted(source, { accepted: 0, duplicates, rejected, batchId: null });
    await this.partitions.ensure(new Set(events.map((e) => monthOf(e.startedAt))));
    const scope: TenantScope = { tenantId: source.tenantId };
    return this.counted(source, await this.db.transaction(async () => {
      const batch: NewBatch = { id: randomUUID(), sourceKey: source.apiKeyId ?? source.via, apiKeyId: source.apiKeyId, ingestedAt: now };
      const rows = await this.resolve(scope, events);
      const fresh = await this.repo.insertEvents(scope, batch, rows);
      const closes = fresh < rows.length ? rows.filter((e) => e.endedAt) : [];
      const accepted = fresh + await this.repo.completeSessions(scope, batch, closes);
      const result = { accepted, duplicates: duplicates + events.length - accepted, rejected, batchId: null as string | null };
      if (!accepted) return result;
      await this.seals.seal(scope, { id: batch.id, apiKeyId: source.apiKeyId, source: source.via }, now);
      await this.repo.queueCorrelation(scope, batch.id, now);
      return { ...result, batchId: batch.id };
    }));
  }

  /** Each event parsed and checked alone: refused ones are answered with their index, repeats within the batch counted. */
  private async sort(source: IngestSource, raws: unknown[], now: Date) {
    const rejected: Rejection[] = [];
    const seen = new Map<string, IncomingEvent>();
    const events: IncomingEvent[] = [];
    let duplicates = 0;
    const retention = (await this.tenants.policyOf(source.tenantId)).logRetentionMonths;
    const oldest = new Date(now);
    oldest.setUTCMonth(oldest.getUTCMonth() - retention);
    const latest = new Date(now.getTime() + FUTURE_SLACK_MS);
    raws.forEach((raw, index) => {
      const parsed = raw === MALFORMED ? 'the line is not valid JSON' : parseEvent(raw);
      if (typeof parsed === 'string') return rejected.push({ index, error: parsed });
      if (parsed.startedAt > latest) return rejected.push({ index, error: 'startedAt is in the future' });
      if (parsed.startedAt < oldest) return rejected.push({ index, error: `startedAt is older than the ${retention}-month retention` });
      const first = seen.get(parsed.eventId);
      if (first) {
        duplicates++;
        // R-GW a session's opening and close in one batch: the close completes the opening, stored as one event.
        if (!first.endedAt && parsed.endedAt && parsed.endedAt >= first.startedAt) Object.assign(first, closing(parsed, first));
        return;
      }
      seen.set(parsed.eventId, parsed);
      events.push(parsed);
    });
    return { events, rejected, duplicates };
  }

  /** Counted once the batch is stored (what the gateway is told). */
  private counted(source: IngestSource, result: IngestResult): IngestResult {
    this.metrics.countIngested(source.via, result.accepted, result.duplicates, result.rejected.length);
    return result;
  }

  /** Account and resource references resolved for the whole batch at once. */
  private async resolve(scope: TenantScope, events: IncomingEvent[]): Promise<NewConnectionEvent[]> {
    const { accounts, resources } = await this.repo.resolve(
      scope, [...new Set(events.map((e) => e.account))], [...new Set(events.map((e) => e.resource))],
    );
    return events.map((e) => {
      const account = accounts.get(e.account.toLowerCase());
      return {
        eventId: e.eventId, accountRef: e.account, accountId: account?.id ?? null, contractorId: account?.contractorId ?? null,
        resourceRef: e.resource, resourceId: resources.get(e.resource) ?? null, sourceIp: e.sourceIp, startedAt: e.startedAt,
        endedAt: e.endedAt, outcome: e.outcome, recordingRef: e.recordingRef,
      };
    });
  }
}
