import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { Metrics } from '@app/core';
import { ANOMALY_KINDS } from './anomalies';

export type IngestVia = 'api' | 'syslog';

/**
 * R-ART41 in figures: the events gateways send to this process (accepted, duplicates,
 * rejected), and the anomalies correlation flagged. Correlation runs in the worker, so anomalies
 * are counted from the table at scrape time (the same on every process; rows are never deleted,
 * so the count only grows, like a counter).
 */
@Injectable()
export class JournalMetrics {
  private readonly events: Counter<'via' | 'result'>;

  constructor(metrics: Metrics) {
    this.events = metrics.counter('prestagate_connection_events_total', 'Connection events received from gateways, by channel and result', ['via', 'result']);
    for (const via of ['api', 'syslog']) for (const result of ['accepted', 'duplicate', 'rejected']) this.events.inc({ via, result }, 0);
    const anomalies = metrics.counter('prestagate_anomalies_total', 'Anomalies flagged by correlation, all tenants, by kind (read from PostgreSQL at scrape time)', ['kind']);
    metrics.addSource({
      name: 'anomalies', metrics: [anomalies],
      read: async (reader) => {
        // Platform-wide on purpose (monitoring, not a tenant's view): a count per kind, no tenant label.
        const rows = await reader.sql<{ kind: string; n: number }>(`SELECT kind, count(*)::int AS n FROM anomalies GROUP BY kind`);
        const byKind = new Map(rows.map((r) => [r.kind, r.n]));
        return ANOMALY_KINDS.map((kind) => ({ metric: anomalies, labels: { kind }, value: byKind.get(kind) ?? 0 }));
      },
    });
  }

  countIngested(via: IngestVia, accepted: number, duplicates: number, rejected: number): void {
    this.events.inc({ via, result: 'accepted' }, accepted);
    this.events.inc({ via, result: 'duplicate' }, duplicates);
    this.events.inc({ via, result: 'rejected' }, rejected);
  }
}
