import { Role } from '@app/core';
import { describeApi } from './support/describe-api';

describeApi('API Idempotency-Key on state-changing calls', { mail: false, tenant: true }, (rig) => {
  it('API a retried call with the same key is answered once: same status and body, nothing created twice', async () => {
    const body = { name: 'Bastion Wallix', scopes: ['decisions'] };
    const first = await rig.ctx.http.post('/v1/api-keys').set(rig.dsi.auth).set('Idempotency-Key', 'create-bastion-1').send(body).expect(201);
    const retry = await rig.ctx.http.post('/v1/api-keys').set(rig.dsi.auth).set('Idempotency-Key', 'create-bastion-1').send(body).expect(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);
    const keys = await rig.ctx.query(`SELECT id FROM api_keys WHERE name = 'Bastion Wallix'`);
    expect(keys).toHaveLength(1);
    // The stored answer holds the key shown once: it is kept encrypted.
    const [stored] = await rig.ctx.query<{ response_enc: string }>(`SELECT response_enc FROM idempotency_keys WHERE key = 'create-bastion-1'`);
    expect(stored.response_enc).not.toContain(first.body.key);
    // Without a key, a repeated call does it again.
    await rig.ctx.http.post('/v1/api-keys').set(rig.dsi.auth).send(body).expect(201);
    expect(await rig.ctx.query(`SELECT id FROM api_keys WHERE name = 'Bastion Wallix'`)).toHaveLength(2);
  });

  it('API the same key with another request is a 422; another caller may use the same key', async () => {
    await rig.ctx.http.post('/v1/users').set(rig.dsi.auth).set('Idempotency-Key', 'k-2')
      .send({ email: 'a.idem@hospital.test', firstName: 'A', lastName: 'B', roles: [Role.Rssi] }).expect(201);
    const reused = await rig.ctx.http.post('/v1/users').set(rig.dsi.auth).set('Idempotency-Key', 'k-2')
      .send({ email: 'c.idem@hospital.test', firstName: 'C', lastName: 'D', roles: [Role.Rssi] }).expect(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await rig.ctx.query(`SELECT 1 FROM users WHERE email = 'c.idem@hospital.test'`)).toHaveLength(0);

    const other = await rig.ctx.tenantWithDsi();
    await rig.ctx.http.post('/v1/users').set(other.dsi.auth).set('Idempotency-Key', 'k-2')
      .send({ email: 'e.idem@hospital.test', firstName: 'E', lastName: 'F', roles: [Role.Rssi] }).expect(201);
  });

  it('API a failed call keeps nothing: the retry with the same key is executed', async () => {
    await rig.ctx.http.post('/v1/users').set(rig.dsi.auth).set('Idempotency-Key', 'k-3')
      .send({ email: 'not-an-email', firstName: 'G', lastName: 'H', roles: [Role.Rssi] }).expect(400);
    await rig.ctx.http.post('/v1/users').set(rig.dsi.auth).set('Idempotency-Key', 'k-3')
      .send({ email: 'not-an-email', firstName: 'G', lastName: 'H', roles: [Role.Rssi] }).expect(400);
    const created = await rig.ctx.http.post('/v1/users').set(rig.dsi.auth).set('Idempotency-Key', 'k-4')
      .send({ email: 'g.idem@hospital.test', firstName: 'G', lastName: 'H', roles: [Role.Rssi] }).expect(201);
    expect(created.headers['idempotent-replayed']).toBeUndefined();
    const bad = await rig.ctx.http.post('/v1/users').set(rig.dsi.auth).set('Idempotency-Key', 'bad key with spaces\u00e9').send({}).expect(400);
    expect(bad.body.errors[0].field).toBe('Idempotency-Key');
  });
});
