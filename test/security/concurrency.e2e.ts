import { AccountsJobs } from '../../libs/accounts/src/accounts.jobs';
import { classification, NOT_APPLICABLE, PAIRS, SCENARIOS } from './concurrency';
import { Fixtures } from './concurrency-fixtures';
import { BURST_TIMEOUT, concurrencyTests } from './concurrency-run';
import { paramKinds } from './openapi';
import { SecurityWorld, useSecurityWorld } from './security-world';

describe('Concurrency suite from the OpenAPI document: accounts, scopes, derogations, webhooks, keys, people (R-INT)', () => {
  let sw: SecurityWorld;
  useSecurityWorld({ others: false }, (started) => {
    sw = started;
  });

  it('R-INT every operation of the document is exercised by a burst or classified, with its reason, as not applicable', () => {
    const labels = sw.operations.map((op) => op.label);
    expect(sw.operations.filter((op) => !classification(op)).map((op) => op.label)).toEqual([]);
    // Every state-changing operation that names an object is raced; a stale entry (a route since removed) is an error too.
    const changing = sw.operations.filter((op) => op.method !== 'get' && Object.keys(paramKinds(op.path)).length);
    expect(changing.filter((op) => !SCENARIOS[op.label]).map((op) => op.label)).toEqual([]);
    expect([...Object.keys(SCENARIOS), ...Object.keys(NOT_APPLICABLE), ...PAIRS.flatMap((p) => [p.a, p.b])].filter((l) => !labels.includes(l))).toEqual([]);
    expect(Object.entries(NOT_APPLICABLE).filter(([, why]) => why.trim().length < 10).map(([label]) => label)).toEqual([]);
  });

  concurrencyTests('accounts', () => sw);

  it('R-INT R-ART28 the scheduler\'s end of an absence and the DSI\'s resumption at once: the account resumes once', async () => {
    const f = new Fixtures(sw);
    const id = await f.approvedAccount();
    const soon = new Date(sw.ctx.clock.now().getTime() + 3 * 86_400_000).toISOString().slice(0, 10);
    await sw.ctx.http.post(`/v1/accounts/${id}/suspend`).set(f.dsi).send({ reason: 'Congé', resumeOn: soon }).expect(200);
    await sw.ctx.advanceClock(4 * 86_400_000);
    const jobs = sw.ctx.worker!.get(AccountsJobs);
    const [, ...answers] = await Promise.all([
      jobs.resumeAbsences(), ...Array.from({ length: 4 }, () => sw.ctx.http.post(`/v1/accounts/${id}/resume`).set(f.dsi)),
    ]);
    expect(answers.filter((r) => r.status !== 200).map((r) => [r.status, r.body.currentStatus])).toEqual(
      answers.filter((r) => r.status !== 200).map(() => [409, 'approved']),
    );
    expect(await sw.ctx.query(`SELECT 1 FROM audit_events WHERE action = 'account.resumed' AND target_id = $1`, [id])).toHaveLength(1);
    // The DSI suspends again while the scheduler looks for due absences: the manual suspension stands.
    await Promise.all([jobs.resumeAbsences(), sw.ctx.http.post(`/v1/accounts/${id}/suspend`).set(f.dsi).send({ reason: 'Contrôle' }).expect(200)]);
    expect((await sw.ctx.http.get(`/v1/accounts/${id}`).set(f.dsi).expect(200)).body).toMatchObject({ status: 'suspended', suspensionKind: 'manual' });
  }, BURST_TIMEOUT);
});
