import { ANOMALY_KINDS } from './anomalies';
import { CASE_ACTS, severityOf, severityOfRank, severityRank } from './anomaly-cases';

describe('R-ART41 anomaly severity and triage', () => {
  it('rates each kind as docs/gateways.md says: a success weighs more than a refused attempt', () => {
    const table = ANOMALY_KINDS.map((kind) => [kind, severityOf(kind, 'success'), severityOf(kind, 'failure')]);
    expect(table).toEqual([
      ['unknown_account', 'high', 'low'],
      ['inactive_account', 'high', 'medium'],
      ['outside_window', 'medium', 'medium'],
      ['out_of_scope', 'high', 'high'],
      ['failed_login_burst', 'high', 'high'],
    ]);
  });

  it('stores a severity as a rank, so that a case keeps the highest of its kinds', () => {
    expect(['low', 'medium', 'high'].map((s) => severityRank(s as 'low'))).toEqual([1, 2, 3]);
    expect([1, 2, 3].map(severityOfRank)).toEqual(['low', 'medium', 'high']);
    expect(Math.max(severityRank('medium'), severityRank('high'))).toBe(severityRank('high'));
  });

  it('allows each act only from the statuses it leaves: a closed case is reopened, never acknowledged or closed again', () => {
    const from = Object.fromEntries(Object.entries(CASE_ACTS).map(([act, t]) => [act, [...t.from]]));
    expect(from).toEqual({
      acknowledged: ['open'], assigned: ['open', 'acknowledged'], closed: ['open', 'acknowledged'], reopened: ['closed'],
    });
    expect(CASE_ACTS.reopened.to).toBe('acknowledged');
  });
});
