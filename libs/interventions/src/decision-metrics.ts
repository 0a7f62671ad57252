import { Counter } from 'prom-client';
import { Metrics } from '@app/core';

/**
 * R-ART36: how the gateways' questions are answered. Two counters rather than one labelled by
 * the whole list of reasons: a deny may give several, and their combinations would make a series
 * each. On the hot path: a few in-memory increments, nothing awaited.
 */
export class DecisionMetrics {
  private readonly decisions: Counter<'decision'>;
  private readonly reasons: Counter<'reason'>;

  constructor(metrics: Metrics, reasonCodes: readonly string[]) {
    this.decisions = metrics.counter('prestagate_access_decisions_total', 'Access decisions answered to gateways, by outcome', ['decision']);
    this.reasons = metrics.counter('prestagate_access_denial_reasons_total', 'Reasons given by denied access decisions (one deny may give several)', ['reason']);
    // Every series exists from the start at 0, so that rate() and alerts see the first one.
    for (const decision of ['allow', 'deny']) this.decisions.inc({ decision }, 0);
    for (const reason of reasonCodes) this.reasons.inc({ reason }, 0);
  }

  count(decision: 'allow' | 'deny', reasons: readonly string[]): void {
    this.decisions.inc({ decision });
    for (const reason of reasons) this.reasons.inc({ reason });
  }
}
