import { Db } from '@app/core';
import { TestContext } from '@app/testing';

/** A promise and the function that settles it: the two transactions below wait for each other's first lock. */
function signal(): { reached: Promise<void>; reach: () => void } {
  let reach!: () => void;
  const reached = new Promise<void>((resolve) => (reach = resolve));
  return { reached, reach };
}

describe('Transactions that PostgreSQL aborts to break a deadlock', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await TestContext.start();
  });
  afterAll(async () => {
    await ctx.close();
  });

  it('R-INT two transactions taking the same two rows in opposite order both commit: the one chosen as the deadlock victim runs again', async () => {
    const [a, b] = await ctx.query<{ id: string }>(
      `INSERT INTO tenants (name, preset, policy) SELECT 'deadlock ' || n, 'standard', '{}' FROM generate_series(1, 2) n RETURNING id`,
    );
    const db = ctx.api.get(Db);
    const first = signal();
    const second = signal();
    const attempts = { one: 0, two: 0 };
    const take = (id: string) => db.query('SELECT 1 FROM tenants WHERE id = $1 FOR UPDATE', [id]);
    const rename = (id: string, name: string) => db.query('UPDATE tenants SET name = $2 WHERE id = $1', [id, name]);
    const one = db.transaction(async () => {
      attempts.one++;
      await take(a.id);
      first.reach();
      await second.reached;
      await take(b.id);
      await rename(a.id, 'renamed by one');
    });
    const two = db.transaction(async () => {
      attempts.two++;
      await take(b.id);
      second.reach();
      await first.reached;
      await take(a.id);
      await rename(b.id, 'renamed by two');
    });
    await expect(Promise.all([one, two])).resolves.toBeDefined();
    expect(attempts.one + attempts.two).toBe(3);
    const names = await ctx.query<{ name: string }>('SELECT name FROM tenants WHERE id = ANY($1) ORDER BY name', [[a.id, b.id]]);
    expect(names.map((n) => n.name)).toEqual(['renamed by one', 'renamed by two']);
  });
});
