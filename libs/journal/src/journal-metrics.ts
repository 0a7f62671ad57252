import { Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { Metrics } from '@app/core';
import { ANOMALY_KINDS } from './anomalies';

export type IngestVia = 'api' | 'syslog';
export type SpoolOutcome = 'spooled' | 'replayed' | 'dropped';

/**
 * R-ART41 in figures: events gateways send to this process, and anomalies. Correlation runs in the worker, so anomalies are
 * counted from the table at scrape time (the same on every process; never deleted, the count only grows like a counter).
 */
@Injectable()
export class JournalMetrics {
  private readonly events: Counter<'via' | 'result'>;
  private readonly spool: Counter<'outcome'>;
  private readonly closed: Counter<'reason'>;
  private readonly paused: Gauge;

  constructor(metrics: Metrics) {
    this.events = metrics.counter(
      'prestagate_connection_events_total', 'Connection events received from gateways, by channel and result', ['via', 'result'],
    );
    for (const via of ['api', 'syslog']) for (const result of ['accepted', 'duplicate', 'rejected']) this.events.inc({ via, result }, 0);
    // R-INT: what the syslog listener read while PostgreSQL was unreachable (docs/operations.md, "Syslog spool").
    this.spool = metrics.counter('prestagate_journal_spool_events_total',
      'Syslog events written to the local spool while PostgreSQL was unreachable (spooled), stored from it since (replayed), '
      + 'or set aside in the quarantine file (dropped: should stay 0)', ['outcome']);
    for (const outcome of ['spooled', 'replayed', 'dropped']) this.spool.inc({ outcome }, 0);
    this.closed = metrics.counter('prestagate_syslog_connections_closed_total',
      'Syslog connections closed by the listener: over SYSLOG_MAX_CONNECTIONS_PER_SOURCE (source_limit) '
      + 'or silent for SYSLOG_IDLE_TIMEOUT_MS (idle_timeout)', ['reason']);
    for (const reason of ['source_limit', 'idle_timeout']) this.closed.inc({ reason }, 0);
    this.paused = metrics.gauge(
      'prestagate_syslog_reading_paused',
      'Whether the syslog listener has stopped reading its connections while it spools and replays (1) or reads (0)',
    );
    this.paused.set(0);
    const anomalies = metrics.counter(
      'prestagate_anomalies_total', 'Anomalies flagged by correlation, all tenants, by kind (read from PostgreSQL at scrape time)',
      ['kind'],
    );
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

  countSpool(outcome: SpoolOutcome, events: number): void {
    this.spool.inc({ outcome }, events);
  }

  countSyslogClosed(reason: 'source_limit' | 'idle_timeout'): void {
    this.closed.inc({ reason });
  }

  syslogPaused(paused: boolean): void {
    this.paused.set(paused ? 1 : 0);
  }
}
