import { Role } from '@app/core';
import { answersChecked, ContractDocument, OpenApiContract } from '@app/testing';
import { describeApi } from './support/describe-api';

// Every answer of the e2e suite is checked against /docs-json by TestContext (libs/testing/src/contract): these
// tests prove that the check refuses the drifts issue 15 found, on the real document, so it cannot silently pass.
describeApi('The OpenAPI document describes the answers the API gives (issue 15)', { world: 'journal' }, (rig) => {
  let contract: OpenApiContract;
  beforeAll(async () => {
    contract = new OpenApiContract((await rig.ctx.http.get('/docs-json').expect(200)).body as ContractDocument);
  });
  const asked = (method: string, path: string, status: number, body: unknown) => contract.check({
    method, path, status, body, text: JSON.stringify(body), headers: { 'content-type': 'application/json; charset=utf-8' },
  });

  it('POST /v1/users answers the 201 it documents; a 200 would be refused', async () => {
    const res = await rig.ctx.http.post('/v1/users').set(rig.w.dsi.auth)
      .send({ email: `auditrice.${Date.now()}@hopital.test`, firstName: 'Anne', lastName: 'Auditrice', roles: [Role.Auditor] });
    expect(res.status).toBe(201);
    expect(asked('POST', '/v1/users', 201, res.body)).toEqual({ kind: 'checked' });
    expect(asked('POST', '/v1/users', 200, res.body)).toMatchObject({ kind: 'violation', message: expect.stringContaining('status 200 is not documented') });
    expect(asked('POST', '/v1/users', 201, { ...res.body, passwordHash: 'x' }))
      .toMatchObject({ kind: 'violation', message: expect.stringContaining('must NOT have additional properties (passwordHash)') });
  });

  it('R-ART41 POST /v1/connection-events: rejections as {index, error} objects, batchId documented; strings would be refused', async () => {
    const key = await rig.w.gatewayKey();
    const res = await rig.ctx.http.post('/v1/connection-events').set('X-Api-Key', key)
      .send([{ eventId: `doc-${Date.now()}`, account: 'nobody', resource: 'r', startedAt: 'yesterday', outcome: 'success' }]).expect(200);
    expect(res.body.rejected[0]).toEqual({ index: 0, error: expect.any(String) });
    expect(asked('POST', '/v1/connection-events', 200, res.body)).toEqual({ kind: 'checked' });
    expect(asked('POST', '/v1/connection-events', 200, { ...res.body, rejected: ['line 1: bad date'] }))
      .toMatchObject({ kind: 'violation', message: expect.stringContaining('/rejected/0 must be object') });
  });

  it('every answer this file received was checked against the document', () => {
    expect(answersChecked()).toMatchObject({ checked: expect.any(Number), violations: 0 });
    expect(answersChecked()!.checked).toBeGreaterThan(10);
  });
});
