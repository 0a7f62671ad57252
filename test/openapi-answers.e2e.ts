import { Role } from '@app/core';
import { describeApi } from './support/describe-api';

type Schema = { $ref?: string; properties?: Record<string, Schema>; items?: Schema; required?: string[] };
type Doc = { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: Schema }> }> }>>; components: { schemas: Record<string, Schema> } };

/** The documented answer of an operation for a status, its schema references resolved. */
function documented(doc: Doc, method: string, path: string, status: number): Schema | undefined {
  const schema = doc.paths[path]?.[method]?.responses[String(status)]?.content?.['application/json']?.schema;
  const resolve = (s: Schema | undefined): Schema | undefined => (s?.$ref ? doc.components.schemas[s.$ref.split('/').pop()!] : s);
  return resolve(schema);
}

describeApi('The OpenAPI document describes the answers the API gives (issue 15)', { world: 'journal' }, (rig) => {
  let doc: Doc;
  beforeAll(async () => {
    doc = (await rig.ctx.http.get('/docs-json').expect(200)).body as Doc;
  });

  it('POST /v1/users is documented with the 201 it answers, and its body has the documented fields', async () => {
    const res = await rig.ctx.http.post('/v1/users').set(rig.w.dsi.auth)
      .send({ email: `auditrice.${Date.now()}@hopital.test`, firstName: 'Anne', lastName: 'Auditrice', roles: [Role.Auditor] });
    expect(res.status).toBe(201);
    const schema = documented(doc, 'post', '/v1/users', 201);
    expect(Object.keys(schema?.properties ?? {}).sort()).toEqual(expect.arrayContaining(Object.keys(res.body).sort()));
  });

  it('R-ART41 POST /v1/connection-events: every field answered is documented, rejections as {index, error} objects', async () => {
    const key = await rig.w.gatewayKey();
    const res = await rig.ctx.http.post('/v1/connection-events').set('X-Api-Key', key)
      .send([{ eventId: `doc-${Date.now()}`, account: 'nobody', resource: 'r', startedAt: 'yesterday', outcome: 'success' }]).expect(200);
    const schema = documented(doc, 'post', '/v1/connection-events', 200)!;
    expect(Object.keys(schema.properties!).sort()).toEqual(Object.keys(res.body).sort());
    const item = schema.properties!.rejected.items!;
    const rejection = item.$ref ? doc.components.schemas[item.$ref.split('/').pop()!] : item;
    expect(Object.keys(rejection.properties!).sort()).toEqual(Object.keys(res.body.rejected[0]).sort());
  });
});
