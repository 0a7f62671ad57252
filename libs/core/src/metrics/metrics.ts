import { Injectable, Logger } from '@nestjs/common';
import { Counter, Gauge, Histogram, LabelValues, Registry } from 'prom-client';
import { Db } from '../database/db';

/** How long one scrape-time source may take (its SQL is cancelled by PostgreSQL at the same bound). */
export const SCRAPE_TIMEOUT_MS = 2000;

export type ScrapedMetric = Gauge<string> | Counter<string>;

/** One value read at scrape time, for a metric the source owns. */
export interface Sample {
  metric: ScrapedMetric;
  value: number;
  labels?: LabelValues<string>;
}

/** What a scrape-time source may use: SQL under a statement timeout, so a slow database never hangs a scrape. */
export interface ScrapeReader {
  sql<T>(text: string, params?: unknown[]): Promise<T[]>;
}

export interface ScrapeSource {
  /** The `source` label of prestagate_metrics_source_up. */
  name: string;
  /** The metrics its samples set; they are cleared when the source fails, so that no stale value is exposed. */
  metrics: ScrapedMetric[];
  read(reader: ScrapeReader): Promise<Sample[]>;
}

/**
 * The application's Prometheus registry (not prom-client's global one: tests run many applications in a process).
 * Per-process counters are incremented where things happen; facts shared by every process (queues, outbox,
 * anomalies) are read at scrape time by the registered sources.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  private readonly log = new Logger('Metrics');
  private readonly sources: ScrapeSource[] = [];
  private readonly sourceUp = this.gauge(
    'prestagate_metrics_source_up', 'Whether the scrape-time source could be read (1) or failed or timed out (0)', ['source'],
  );
  private refreshing?: Promise<void>;
  private readonly reader: ScrapeReader = { sql: (text, params) => this.db.bounded(text, params ?? [], SCRAPE_TIMEOUT_MS) };

  constructor(private readonly db: Db) {}

  /** `collect`, when given, sets the values when a scrape reads them (for totals kept as plain numbers on a hot path). */
  counter<L extends string>(
    name: string, help: string, labelNames: readonly L[] = [], collect?: (counter: Counter<L>) => void,
  ): Counter<L> {
    const collecting = collect ? { collect(this: Counter<L>) { collect(this); } } : {};
    return new Counter({ name, help, labelNames, registers: [this.registry], ...collecting });
  }

  gauge<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Gauge<L> {
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }

  histogram<L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]): Histogram<L> {
    return new Histogram({ name, help, labelNames, buckets, registers: [this.registry] });
  }

  addSource(source: ScrapeSource): void {
    this.sources.push(source);
  }

  /** The exposition text: the sources are read first (concurrent scrapes share one reading). */
  async scrape(): Promise<string> {
    this.refreshing ??= this.refresh().finally(() => {
      this.refreshing = undefined;
    });
    await this.refreshing;
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private async refresh(): Promise<void> {
    await Promise.all(this.sources.map(async (source) => {
      try {
        const samples = await withTimeout(source.read(this.reader), SCRAPE_TIMEOUT_MS, `metrics source ${source.name}`);
        // Applied in one synchronous step, so a concurrent exposition never sees a half-written source.
        for (const metric of source.metrics) metric.reset();
        for (const s of samples) {
          if (s.metric instanceof Gauge) s.metric.set(s.labels ?? {}, s.value);
          else s.metric.inc(s.labels ?? {}, s.value);
        }
        this.sourceUp.set({ source: source.name }, 1);
      } catch (error) {
        // Absent rather than 0: an unknown lag must not read as "no lag" (alert on the source being down instead).
        for (const metric of source.metrics) {
          metric.reset();
          metric.remove({});
        }
        this.sourceUp.set({ source: source.name }, 0);
        this.log.warn(`Metrics source "${source.name}" could not be read: ${(error as Error).message}`);
      }
    }));
  }
}

/** Rejects after `ms` (the work itself is bounded elsewhere: statement timeout, Redis command timeout). */
function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
