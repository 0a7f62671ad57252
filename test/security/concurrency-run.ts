import { Operation } from './openapi';
import { BURST, burst, PAIRS, race, SCENARIOS, Scenario } from './concurrency';
import { Fixtures } from './concurrency-fixtures';
import { SecurityWorld } from './security-world';

/** A loaded 2-core machine: a burst, its set-up and its checks stay well under this. */
export const BURST_TIMEOUT = 90_000;

/**
 * The bursts and races of one file: one `it` per operation and per pair, each on objects of its own, against one
 * app with its worker (tenant A of the security world).
 */
export function concurrencyTests(file: Scenario['file'], get: () => SecurityWorld): void {
  const op = (label: string): Operation => {
    const found = get().operations.find((o) => o.label === label);
    if (!found) throw new Error(`${label} is in the concurrency suite but not in the OpenAPI document`);
    return found;
  };
  for (const [label, scenario] of Object.entries(SCENARIOS).filter(([, s]) => s.file === file)) {
    const what = scenario.mode === 'transition' ? 'one wins, the others are 409 with the current state'
      : scenario.mode === 'set' ? 'the same answer, the state changed once' : 'with one Idempotency-Key, one object';
    it(`R-INT ${label}: ${BURST} identical requests in parallel: ${what}, one audit event, one e-mail per recipient`, async () => {
      const shot = await scenario.prepare(new Fixtures(get()));
      expect(await burst(get(), op(label), scenario, shot)).toEqual([]);
    }, BURST_TIMEOUT);
  }
  for (const pair of PAIRS.filter((p) => p.file === file)) {
    it(`R-INT ${pair.a} and ${pair.b} in parallel on one object: ${pair.actions ? 'each win audited once' : 'one winner'}, the state is the winner's answer`, async () => {
      const shots = await pair.prepare(new Fixtures(get()));
      expect(await race(get(), [op(pair.a), op(pair.b)], pair, shots)).toEqual([]);
    }, BURST_TIMEOUT);
  }
}
