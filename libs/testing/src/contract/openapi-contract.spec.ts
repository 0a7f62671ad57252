import { Answer, ContractDocument, OpenApiContract } from './openapi-contract';

const json = (schema: object) => ({ description: '', content: { 'application/json': { schema } } });
const problem = { description: '', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };

const DOC: ContractDocument = {
  paths: {
    '/v1/things': { post: { operationId: 'create', responses: { 201: json({ $ref: '#/components/schemas/Thing' }), '4XX': problem } } },
    '/v1/things/{id}': { get: { responses: { 200: json({ $ref: '#/components/schemas/Thing' }), '4XX': problem } } },
    '/v1/things/export': { get: { responses: { 200: { description: '', content: { 'text/csv': { schema: { type: 'string' } } } } } } },
    '/v1/things/{id}/file': { delete: { responses: { 204: { description: '' } } } },
  },
  components: {
    schemas: {
      Thing: {
        type: 'object', required: ['id', 'tags'],
        properties: {
          id: { type: 'string', format: 'uuid' }, note: { type: 'string', nullable: true },
          state: { type: 'string', enum: ['open'], nullable: true }, tags: { type: 'array', items: { type: 'string' } },
        },
      },
      Problem: {
        type: 'object', required: ['code', 'status'], additionalProperties: true,
        properties: { code: { type: 'string' }, status: { type: 'integer' } },
      },
    },
  },
};

const ID = '8f2b7c1e-3d4a-4b5c-9d6e-7f8091a2b3c4';
const answer = (method: string, path: string, status: number, body?: unknown, type = 'application/json'): Answer => ({
  method, path, status, body: body ?? {}, text: body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body),
  headers: body === undefined ? {} : { 'content-type': `${type}; charset=utf-8` },
});

describe('OpenApiContract: every answer the e2e suite receives is checked against the document', () => {
  const contract = () => new OpenApiContract(DOC);

  it('accepts an answer with a documented status whose body matches the schema (nullable fields too)', () => {
    expect(contract().check(answer('POST', '/v1/things', 201, { id: ID, note: null, state: null, tags: [] }))).toEqual({ kind: 'checked' });
    expect(contract().check(answer('POST', '/v1/things', 201, { id: ID, state: 'shut', tags: [] })).kind).toBe('violation');
    expect(contract().check(answer('GET', `/v1/things/${ID}?fields=all`, 200, { id: ID, tags: ['a'] }))).toEqual({ kind: 'checked' });
  });

  it('refuses a status the operation does not document, naming the operation and what it documents', () => {
    const verdict = contract().check(answer('POST', '/v1/things', 200, { id: ID, tags: [] }));
    const message = 'POST /v1/things answered 200: status 200 is not documented (documented: 201, 4XX)';
    expect(verdict).toMatchObject({ kind: 'violation', message: expect.stringContaining(message) });
  });

  it('refuses a wrong body with its first schema errors', () => {
    const verdict = contract().check(answer('POST', '/v1/things', 201, { id: 'nope', tags: 'a' }));
    expect(verdict.kind).toBe('violation');
    expect(verdict.kind === 'violation' && verdict.message).toMatch(/\/id must match format "uuid"; \/tags must be array/);
  });

  it('refuses a field the schema does not document (objects are closed)', () => {
    const verdict = contract().check(answer('POST', '/v1/things', 201, { id: ID, tags: [], batchId: 'b' }));
    expect(verdict.kind === 'violation' && verdict.message).toContain('must NOT have additional properties (batchId)');
  });

  it('matches a literal path before a template, and errors against a 4XX range as problems', () => {
    expect(contract().check(answer('GET', '/v1/things/export', 200, 'id\n1\n', 'text/csv'))).toEqual({ kind: 'checked' });
    const notFound = { code: 'NOT_FOUND', status: 404, detail: 'x' };
    expect(contract().check(answer('GET', `/v1/things/${ID}`, 404, notFound, 'application/problem+json')))
      .toEqual({ kind: 'checked' });
    expect(contract().check(answer('GET', `/v1/things/${ID}`, 404, { status: 404 }, 'application/problem+json')).kind).toBe('violation');
    expect(contract().check(answer('GET', `/v1/things/${ID}`, 500, { code: 'INTERNAL', status: 500 }, 'application/problem+json')).kind)
      .toBe('violation');
  });

  it('checks answers that are not JSON by content type, and a documented empty answer stays empty', () => {
    expect(contract().check(answer('GET', '/v1/things/export', 200, '{}', 'application/json')).kind).toBe('violation');
    expect(contract().check(answer('DELETE', `/v1/things/${ID}/file`, 204))).toEqual({ kind: 'checked' });
    expect(contract().check(answer('DELETE', `/v1/things/${ID}/file`, 204, { id: ID })).kind).toBe('violation');
  });

  it('skips the routes outside the document, and a route it does not know may only be refused', () => {
    expect(contract().check(answer('GET', '/health/ready', 200, { status: 'ok' })).kind).toBe('skipped');
    expect(contract().check(answer('GET', '/assets/index.js', 200, 'x', 'text/javascript')).kind).toBe('skipped');
    expect(contract().check(answer('GET', '/v1/unknown', 404, { code: 'NOT_FOUND', status: 404 }, 'application/problem+json')))
      .toEqual({ kind: 'checked' });
    expect(contract().check(answer('GET', '/v1/unknown', 200, { id: ID })))
      .toMatchObject({ kind: 'violation', message: expect.stringContaining('the operation is not in the document') });
    expect(contract().check(answer('PUT', '/v1/things', 200, { id: ID })).kind).toBe('violation');
  });

  it('counts what it checked, skipped and refused', () => {
    const c = contract();
    c.check(answer('POST', '/v1/things', 201, { id: ID, tags: [] }));
    c.check(answer('GET', '/metrics', 200, 'x', 'text/plain'));
    c.check(answer('POST', '/v1/things', 200, {}));
    expect(c.counts).toEqual({ checked: 1, skipped: 1, violations: 1 });
  });
});
