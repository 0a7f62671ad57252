import { performance } from 'node:perf_hooks';
import { Injectable, Logger } from '@nestjs/common';
import { Clock, Db, Role } from '@app/core';
import { Directory } from '@app/contractors';
import { TenantsService } from '@app/identity';
import { NotificationsService, WebhooksService } from '@app/notifications';
import { AnomalyCandidate, StoredAnomaly, describeAnomaly, localTime, toAnomalyWebhook } from './anomalies';
import { CorrelationRepository, QueuedBatch } from './correlation.repository';
import { AnomalyCasesRepository } from './anomaly-cases.repository';
import { severityOf, severityRank } from './anomaly-cases';

export interface CorrelationRun {
  batches: number;
  linked: number;
  anomalies: number;
  failed: string[];
}

/** One run stops taking new batches after this long; the next run (30 s later) goes on. */
const RUN_BUDGET_MS = 25_000;
/** An e-mail lists this many anomalies; the rest are counted and in GET /v1/anomalies. */
const MAIL_ITEMS = 50;

/**
 * R-ART41 correlation, in the worker: each queued batch in one transaction (links to interventions, anomalies, the RSSI's
 * e-mail and webhooks, the queue row); a failed batch stays queued without holding up the others (docs/adr/journal-correlation.md).
 */
@Injectable()
export class CorrelationService {
  private readonly log = new Logger('Correlation');

  constructor(
    private readonly db: Db,
    private readonly repo: CorrelationRepository,
    private readonly tenants: TenantsService,
    private readonly directory: Directory,
    private readonly notifications: NotificationsService,
    private readonly webhooks: WebhooksService,
    private readonly clock: Clock,
    private readonly cases: AnomalyCasesRepository,
  ) {}

  /**
   * Every queued batch, one transaction each. When the queue is drained, the batches that were
   * queued at the start and are still being correlated by another worker are waited for, so that
   * on return everything queued before the call is correlated.
   */
  async correlateQueued(): Promise<CorrelationRun> {
    const started = performance.now();
    const before = await this.repo.queued();
    const run: CorrelationRun = { batches: 0, linked: 0, anomalies: 0, failed: [] };
    let drained = false;
    while (performance.now() - started < RUN_BUDGET_MS) {
      const outcome = await this.correlateOne({ skip: run.failed }, run);
      if (outcome === 'none') {
        drained = true;
        break;
      }
    }
    if (drained) {
      const held = await this.repo.stillQueued(before.map((b) => b.batchId).filter((id) => !run.failed.includes(id)));
      for (const batchId of held) await this.correlateOne({ batchId }, run);
    }
    return run;
  }

  private async correlateOne(which: { skip: string[] } | { batchId: string }, run: CorrelationRun): Promise<'done' | 'none' | 'failed'> {
    let claimed: QueuedBatch | undefined;
    try {
      const result = await this.db.transaction(async () => {
        claimed = await this.repo.claim(which);
        if (!claimed) return null;
        const counts = await this.correlate(claimed);
        await this.repo.dequeue(claimed);
        return counts;
      });
      if (!result) return 'none';
      run.batches++;
      run.linked += result.linked;
      run.anomalies += result.anomalies;
      return 'done';
    } catch (error) {
      if (!claimed) throw error;
      this.log.error({ batchId: claimed.batchId, err: (error as Error).message }, 'correlation of a journal batch failed; it stays queued');
      run.failed.push(claimed.batchId);
      return 'failed';
    }
  }

  private async correlate(batch: QueuedBatch): Promise<{ linked: number; anomalies: number }> {
    const timeZone = (await this.tenants.policyOf(batch.tenantId)).businessHours.timezone;
    const linked = await this.repo.linkInterventions(batch);
    const candidates = await this.repo.findAnomalies(batch, timeZone);
    const stored = await this.repo.insert({ tenantId: batch.tenantId }, candidates.map((c) => ({
      kind: c.kind, eventId: c.eventId, startedAt: c.startedAt, accountRef: c.accountRef, accountId: c.accountId,
      contractorId: c.contractorId, resourceRef: c.resourceRef, resourceId: c.resourceId, detail: describeAnomaly(c, timeZone),
    })), this.clock.now());
    const outcomes = new Map(candidates.map((c) => [`${c.kind}:${c.eventId}`, c.outcome]));
    await this.cases.attach({ tenantId: batch.tenantId }, stored.map((a) => ({
      id: a.id, rank: severityRank(severityOf(a.kind, outcomes.get(`${a.kind}:${a.eventId}`) ?? 'success')),
    })), this.clock.now());
    if (stored.length) await this.alert(batch, stored, candidates, timeZone);
    return { linked, anomalies: stored.length };
  }

  /** R-ART41 "alerted to the RSSI": one e-mail per batch (the DSI when the tenant has no RSSI yet), one webhook per anomaly. */
  private async alert(batch: QueuedBatch, stored: StoredAnomaly[], candidates: AnomalyCandidate[], timeZone: string): Promise<void> {
    const byKey = new Map(candidates.map((c) => [`${c.kind}:${c.eventId}`, c]));
    const rows = stored
      .map((r) => ({ ...r, gatewayEventId: byKey.get(`${r.kind}:${r.eventId}`)?.gatewayEventId ?? null }))
      .sort((a, b) => new Date(a.eventStartedAt).getTime() - new Date(b.eventStartedAt).getTime() || a.kind.localeCompare(b.kind));
    const rssi = await this.directory.hospital(batch.tenantId, [Role.Rssi]);
    const recipients = rssi.length ? rssi : await this.directory.hospital(batch.tenantId, [Role.Dsi]);
    await this.notifications.emailEach(recipients, {
      tenantId: batch.tenantId, template: 'anomalies-detected', dedupeKey: `anomalies:${batch.batchId}`,
      data: {
        count: rows.length, more: Math.max(0, rows.length - MAIL_ITEMS), timeZone,
        items: rows.slice(0, MAIL_ITEMS).map((r) => {
          const c = byKey.get(`${r.kind}:${r.eventId}`);
          return {
            kind: r.kind, at: localTime(new Date(r.eventStartedAt), timeZone),
            account: c?.person ? `${c.person} (${r.accountRef})` : r.accountRef,
            resource: c?.resourceName ?? r.resourceRef ?? '', detail: r.detail,
          };
        }),
      },
    });
    await this.webhooks.publishEach(batch.tenantId, 'anomaly.detected', rows.map(toAnomalyWebhook));
  }
}
