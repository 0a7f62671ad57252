import { Counter } from 'prom-client';
import { Metrics } from '@app/core';

/**
 * R-ART36: two counters, not one labelled by the list of reasons (their combinations would make a series each).
 * The hot path adds to plain numbers; the Prometheus counters take them when a scrape reads them.
 */
export class DecisionMetrics {
  private readonly decided = { allow: 0, deny: 0 };
  private readonly reasons = new Map<string, number>();

  constructor(metrics: Metrics, reasonCodes: readonly string[]) {
    // Every series exists from the start at 0, so that rate() and alerts see the first one.
    for (const reason of reasonCodes) this.reasons.set(reason, 0);
    metrics.counter('prestagate_access_decisions_total', 'Access decisions answered to gateways, by outcome', ['decision'], (counter) => {
      counter.reset();
      for (const [decision, n] of Object.entries(this.decided)) counter.inc({ decision }, n);
    });
    const help = 'Reasons given by denied access decisions (one deny may give several)';
    metrics.counter('prestagate_access_denial_reasons_total', help, ['reason'],
      (counter: Counter<'reason'>) => {
        counter.reset();
        for (const [reason, n] of this.reasons) counter.inc({ reason }, n);
      });
  }

  count(decision: 'allow' | 'deny', reasons: readonly string[]): void {
    this.decided[decision]++;
    for (const reason of reasons) this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + 1);
  }
}
