import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, Clock, Db, GENESIS_HASH, ValidationFailed, isServiceUnavailable } from '@app/core';
import { TenantsService } from '@app/identity';
import { IncomingEvent, MALFORMED, parseEvent, Rejection } from './events';
import { JournalMetrics } from './journal-metrics';
import { JournalPartitions, monthOf } from './partitions';
import { BATCH_CONTENT_HASH_SQL, batchHash } from './seal';
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * R-ART41 ingestion: nominative, timestamped, idempotent on the gateway's event id. One bad event
 * never loses the good ones. A batch is written with a few set-based statements in one
 * transaction (ids for idempotency, events, the seal chained to the tenant's previous batch,
 * the correlation queue); correlation itself runs later, in the worker.
 */
@Injectable()
export class IngestionService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: Db,
    private readonly partitions: JournalPartitions,
    private readonly tenants: TenantsService,
    private readonly clock: Clock,
    private readonly metrics: JournalMetrics,
  ) {}

  get maxBatch(): number {
    return this.config.journal.maxBatch;
  }

  /**
   * R-INT: all or nothing for the gateway. While PostgreSQL is unreachable this throws JournalUnavailable
   * (503 with Retry-After): nothing is answered as accepted that is not stored, and the gateway's retry
   * of a batch whose commit was in doubt only finds duplicates.
   */
  async ingest(source: IngestSource, raws: unknown[]): Promise<IngestResult> {
    if (raws.length > this.maxBatch) {
      throw new ValidationFailed(`A batch holds ${this.maxBatch} events at most`, [{ field: 'events', message: `${raws.length} events sent` }]);
    }
    try {
      return await this.store(source, raws);
    } catch (error) {
      if (isServiceUnavailable(error)) throw new JournalUnavailable();
      throw error;
    }
  }

  private async store(source: IngestSource, raws: unknown[]): Promise<IngestResult> {
    const rejected: Rejection[] = [];
    const seen = new Set<string>();
    const events: IncomingEvent[] = [];
    let duplicates = 0;
    const now = this.clock.now();
    const retention = (await this.tenants.policyOf(source.tenantId)).logRetentionMonths;
    const oldest = new Date(now);
    oldest.setUTCMonth(oldest.getUTCMonth() - retention);
    raws.forEach((raw, index) => {
      const parsed = raw === MALFORMED ? 'the line is not valid JSON' : parseEvent(raw);
      if (typeof parsed === 'string') return rejected.push({ index, error: parsed });
      if (parsed.startedAt > new Date(now.getTime() + 5 * 60_000)) return rejected.push({ index, error: 'startedAt is in the future' });
      if (parsed.startedAt < oldest) return rejected.push({ index, error: `startedAt is older than the ${retention}-month retention` });
      if (seen.has(parsed.eventId)) {
        duplicates++;
        return;
      }
      seen.add(parsed.eventId);
      events.push(parsed);
    });
    if (!events.length) return this.counted(source, { accepted: 0, duplicates, rejected, batchId: null });
    await this.partitions.ensure(new Set(events.map((e) => monthOf(e.startedAt))));
    return this.counted(source, await this.db.transaction(async () => {
      const refs = await this.resolve(source.tenantId, events);
      const sourceKey = source.apiKeyId ?? source.via;
      const [batch] = await this.db.query<{ id: string }>(`SELECT gen_random_uuid() AS id`);
      const inserted = await this.db.query<{ n: number }>(
        `WITH input AS (
           SELECT * FROM unnest($3::text[], $4::text[], $5::uuid[], $6::uuid[], $7::text[], $8::uuid[], $9::inet[], $10::timestamptz[],
                                $11::timestamptz[], $12::text[], $13::text[])
             AS t(event_id, account_ref, account_id, contractor_id, resource_ref, resource_id, source_ip, started_at, ended_at, outcome, recording_ref)
         ), fresh AS (
           INSERT INTO connection_event_ids (tenant_id, source_key, event_id, started_at)
           SELECT $1, $2, event_id, started_at FROM input
           ON CONFLICT DO NOTHING RETURNING event_id
         ), stored AS (
           INSERT INTO connection_events (tenant_id, batch_id, api_key_id, event_id, account_ref, account_id, contractor_id, resource_ref,
                                          resource_id, source_ip, started_at, ended_at, outcome, recording_ref, ingested_at)
           SELECT $1, $14, $15, i.event_id, i.account_ref, i.account_id, i.contractor_id, i.resource_ref, i.resource_id, i.source_ip,
                  i.started_at, i.ended_at, i.outcome, i.recording_ref, $16
             FROM input i JOIN fresh f ON f.event_id = i.event_id
           RETURNING 1
         )
         SELECT count(*)::int AS n FROM stored`,
        [source.tenantId, sourceKey, events.map((e) => e.eventId), events.map((e) => e.account), refs.accountIds, refs.contractorIds,
          events.map((e) => e.resource), refs.resourceIds, events.map((e) => e.sourceIp), events.map((e) => e.startedAt),
          events.map((e) => e.endedAt), events.map((e) => e.outcome), events.map((e) => e.recordingRef), batch.id, source.apiKeyId, now],
      );
      const accepted = inserted[0].n;
      duplicates += events.length - accepted;
      if (!accepted) return { accepted, duplicates, rejected, batchId: null };
      await this.seal(source, batch.id, now);
      await this.db.query(`INSERT INTO journal_correlation_queue (batch_id, tenant_id, queued_at) VALUES ($1, $2, $3)`, [batch.id, source.tenantId, now]);
      return { accepted, duplicates, rejected, batchId: batch.id };
    }));
  }

  /** Counted once the batch is stored (what the gateway is told). */
  private counted(source: IngestSource, result: IngestResult): IngestResult {
    this.metrics.countIngested(source.via, result.accepted, result.duplicates, result.rejected.length);
    return result;
  }

  /** Account and resource references resolved in two queries for the whole batch. */
  private async resolve(tenantId: string, events: IncomingEvent[]) {
    const accountRefs = [...new Set(events.map((e) => e.account))];
    const resourceRefs = [...new Set(events.map((e) => e.resource))];
    const accounts = await this.db.query<{ key: string; id: string; contractor_id: string }>(
      `SELECT DISTINCT ON (key) key, id, email, contractor_id FROM (
         SELECT id::text AS key, id, lower(email) AS email, contractor_id, requested_at FROM accounts WHERE tenant_id = $1 AND id = ANY($2::uuid[])
         UNION ALL
         SELECT lower(email) AS key, id, lower(email), contractor_id, requested_at FROM accounts WHERE tenant_id = $1 AND lower(email) = ANY($3::text[])
       ) x ORDER BY key, requested_at DESC`,
      [tenantId, accountRefs.filter((r) => UUID.test(r)), accountRefs.map((r) => r.toLowerCase())],
    );
    const resources = await this.db.query<{ key: string; id: string }>(
      `SELECT id::text AS key, id FROM resources WHERE tenant_id = $1 AND id = ANY($2::uuid[])
       UNION ALL SELECT external_id AS key, id FROM resources WHERE tenant_id = $1 AND external_id = ANY($3::text[])`,
      [tenantId, resourceRefs.filter((r) => UUID.test(r)), resourceRefs],
    );
    const account = new Map<string, { id: string; contractor_id: string }>();
    for (const a of accounts) account.set(a.key, a);
    const resource = new Map(resources.map((r) => [r.key, r.id]));
    const lookup = (ref: string) => account.get(ref.toLowerCase());
    return {
      accountIds: events.map((e) => lookup(e.account)?.id ?? null),
      contractorIds: events.map((e) => lookup(e.account)?.contractor_id ?? null),
      resourceIds: events.map((e) => resource.get(e.resource) ?? null),
    };
  }

  /** Chains the batch to the tenant's previous one (R-AUD): writers of a tenant serialise on its head row. */
  private async seal(source: IngestSource, batchId: string, now: Date): Promise<void> {
    await this.db.query(`INSERT INTO journal_heads (tenant_id, last_seq, last_hash) VALUES ($1, 0, $2) ON CONFLICT DO NOTHING`, [source.tenantId, GENESIS_HASH]);
    const [head] = await this.db.query<{ last_seq: string; last_hash: string }>(`SELECT last_seq, last_hash FROM journal_heads WHERE tenant_id = $1 FOR UPDATE`, [source.tenantId]);
    const [content] = await this.db.query<{ content_hash: string; event_count: number }>(BATCH_CONTENT_HASH_SQL, [batchId, source.tenantId]);
    const seq = Number(head.last_seq) + 1;
    const sealedAt = now.toISOString();
    const hash = batchHash({ tenantId: source.tenantId, seq, contentHash: content.content_hash, eventCount: content.event_count, prevHash: head.last_hash, sealedAt });
    await this.db.query(
      `INSERT INTO journal_batches (id, tenant_id, seq, api_key_id, source, event_count, content_hash, prev_hash, hash, sealed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [batchId, source.tenantId, seq, source.apiKeyId, source.via, content.event_count, content.content_hash, head.last_hash, hash, sealedAt],
    );
    await this.db.query(`UPDATE journal_heads SET last_seq = $2, last_hash = $3 WHERE tenant_id = $1`, [source.tenantId, seq, hash]);
  }
}
