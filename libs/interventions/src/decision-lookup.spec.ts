import { DecisionLookup } from './decision-lookup';
import { DecisionsRepository, LookupQuestion, LookupRow } from './decisions.repository';

const question = (n: number): LookupQuestion => ({
  tenantId: 't', account: `a${n}@example.org`, resource: `r${n}`, accessType: 'remote', today: '2026-12-06', at: new Date(0),
});
const row = (q: LookupQuestion) => ({ accountId: q.account }) as unknown as LookupRow;

/** A repository whose statements stay in flight until released. */
function fakeRepository() {
  const statements: { size: number; release: () => void }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const repo = {
    lookup: (questions: readonly LookupQuestion[]) => new Promise<LookupRow[]>((resolve) => {
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      statements.push({ size: questions.length, release: () => { inFlight--; resolve(questions.map(row)); } });
    }),
  };
  return { repo: repo as unknown as DecisionsRepository, statements, maxInFlight: () => maxInFlight };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('R-ART36 DecisionLookup (questions asked together share a statement)', () => {
  it('R-ART36 questions of one turn go in one statement, each answered with its own row', async () => {
    const fake = fakeRepository();
    const lookup = new DecisionLookup(fake.repo);
    const answers = Promise.all([1, 2, 3].map((n) => lookup.find(question(n))));
    await tick();
    expect(fake.statements.map((s) => s.size)).toEqual([3]);
    fake.statements[0].release();
    expect((await answers).map((r) => r.accountId)).toEqual(['a1@example.org', 'a2@example.org', 'a3@example.org']);
  });

  it('R-ART36 at most 2 statements in flight, of at most 200 questions; the others wait and go together', async () => {
    const fake = fakeRepository();
    const lookup = new DecisionLookup(fake.repo);
    const first = Array.from({ length: 450 }, (_, n) => lookup.find(question(n)));
    await tick();
    await tick();
    expect(fake.statements.map((s) => s.size)).toEqual([200, 200]);
    const later = Array.from({ length: 10 }, (_, n) => lookup.find(question(1000 + n)));
    await tick();
    expect(fake.statements).toHaveLength(2);
    fake.statements[0].release();
    await tick();
    expect(fake.statements.map((s) => s.size)).toEqual([200, 200, 60]);
    for (const s of fake.statements.slice(1)) s.release();
    expect(await Promise.all([...first, ...later])).toHaveLength(460);
    expect(fake.maxInFlight()).toBe(2);
  });

  it('R-ART36 a question the statement did not answer fails alone', async () => {
    const repo = { lookup: async (qs: readonly LookupQuestion[]) => qs.map((q, i) => (i === 1 ? undefined : row(q))) };
    const lookup = new DecisionLookup(repo as unknown as DecisionsRepository);
    const [a, b] = await Promise.allSettled([lookup.find(question(1)), lookup.find(question(2))]);
    expect(a.status).toBe('fulfilled');
    expect(b).toMatchObject({ status: 'rejected', reason: new Error('The decision lookup returned no row for a question') });
  });
});
