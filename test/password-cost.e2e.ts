import { parseConfig, Role } from '@app/core';
import { hashPassword } from '@app/identity';
import { TestContext } from '@app/testing';
import { describeApi } from './support/describe-api';

const required = { DATABASE_URL: 'postgres://localhost/x', APP_SECRET: 'a-secret-that-is-long-enough-0123456789' };

describeApi('R-ART28 the password hashing cost', { mail: false, env: { PASSWORD_HASH_COST: undefined } }, (rig) => {
  let ctx: TestContext;
  let tenantId: string;

  beforeAll(async () => {
    // The production default: the tests' cheap cost unset.
    ctx = rig.ctx;
    tenantId = await ctx.createTenant();
  });

  const storedHash = async (id: string) => (await ctx.query<{ h: string }>('SELECT password_hash AS h FROM users u JOIN identities i ON i.id = u.identity_id WHERE u.id = $1', [id]))[0].h;

  it('R-ART28 an API on the production configuration hashes with argon2id at 19 MiB, 2 iterations, 1 lane', async () => {
    const user = await ctx.createUser({ tenantId, roles: [Role.Dsi] });
    expect(await storedHash(user.id)).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    await ctx.signIn(user.email);
  });

  it('R-ART28 a password hashed at the tests\' cost still signs in on a production-cost API (argon2 keeps its parameters)', async () => {
    const user = await ctx.createUser({ tenantId, roles: [Role.Dsi] });
    const cheap = await hashPassword('Another-Horse-Battery-43', 'test');
    expect(cheap).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
    await ctx.query('UPDATE identities SET password_hash = $1 WHERE id = (SELECT identity_id FROM users WHERE id = $2)', [cheap, user.id]);
    await ctx.signIn(user.email, 'Another-Horse-Battery-43');
  });

  it('R-ART28 outside NODE_ENV=test the configuration refuses PASSWORD_HASH_COST=test, naming the variable', () => {
    for (const NODE_ENV of ['production', 'development', undefined]) {
      expect(() => parseConfig({ ...required, NODE_ENV, PASSWORD_HASH_COST: 'test' })).toThrow(/PASSWORD_HASH_COST: the test cost is accepted only with NODE_ENV=test/);
    }
    expect(parseConfig({ ...required, NODE_ENV: 'test', PASSWORD_HASH_COST: 'test' }).auth.passwordHashCost).toBe('test');
    expect(parseConfig({ ...required, NODE_ENV: 'production' }).auth.passwordHashCost).toBe('production');
  });
});
