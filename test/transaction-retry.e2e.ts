import { Db, Transactional } from '@app/core';
import { TestContext } from '@app/testing';

type Signal = { reached: Promise<void>; reach: () => void };

/** A promise and the function that settles it: the two transactions below wait for each other's first lock. */
function signal(): Signal {
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
    // Each takes its own row, lets the other know, waits for the other's, then takes it: a deadlock.
    const crossing = (who: 'one' | 'two', mine: string, theirs: string, own: Signal, other: Signal) => db.transaction(async () => {
      attempts[who]++;
      await take(mine);
      own.reach();
      await other.reached;
      await take(theirs);
      await db.query('UPDATE tenants SET name = $2 WHERE id = $1', [mine, `renamed by ${who}`]);
    });
    const one = crossing('one', a.id, b.id, first, second);
    const two = crossing('two', b.id, a.id, second, first);
    await expect(Promise.all([one, two])).resolves.toBeDefined();
    expect(attempts.one + attempts.two).toBe(3);
    const names = await ctx.query<{ name: string }>('SELECT name FROM tenants WHERE id = ANY($1) ORDER BY name', [[a.id, b.id]]);
    expect(names.map((n) => n.name)).toEqual(['renamed by one', 'renamed by two']);
  });

  it('R-INT a @Transactional() method runs in one transaction: what it wrote before it failed is rolled back', async () => {
    class Renamer {
      constructor(readonly db: Db) {}

      @Transactional()
      async renameThenFail(id: string): Promise<void> {
        await this.db.query('UPDATE tenants SET name = $2 WHERE id = $1', [id, 'renamed, then failed']);
        expect(this.db.inTransaction).toBe(true);
        throw new Error('refused after the write');
      }
    }
    const [tenant] = await ctx.query<{ id: string }>(
      `INSERT INTO tenants (name, preset, policy) VALUES ('decorated', 'standard', '{}') RETURNING id`,
    );
    await expect(new Renamer(ctx.api.get(Db)).renameThenFail(tenant.id)).rejects.toThrow('refused after the write');
    expect(await ctx.query('SELECT name FROM tenants WHERE id = $1', [tenant.id])).toEqual([{ name: 'decorated' }]);
  });
});
