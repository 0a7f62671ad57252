import fc from 'fast-check';
import { pdf, TestContext } from '@app/testing';
import type { Response } from 'supertest';
import { exampleOf } from './examples';
import { flatten, isMultipart, Operation, Parameter, Schema } from './openapi';
import { SecurityWorld, useSecurityWorld } from './security-world';

/**
 * Every operation of the OpenAPI document, fuzzed with fast-check as an allowed caller: never a 5xx, every 4xx an RFC 9457
 * problem. Reproduce: FUZZ_SEED=<seed> [FUZZ_ONLY="POST /v1/users"] [FUZZ_RUNS=200] npx jest test/security/fuzz.e2e.ts
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261123);
const RUNS = Number(process.env.FUZZ_RUNS ?? 20);
/** Only the operations whose label ("POST /v1/users") contains this text. */
const ONLY = process.env.FUZZ_ONLY;
/** Exploration only (a full run has none): leave out the operations whose label contains this text. */
const SKIP = process.env.FUZZ_SKIP;

const ONE_MB = 'x'.repeat(1024 * 1024);
const LARGE = 'é'.repeat(100_000);
/** Strings that have broken parsers, databases, headers and renderers before. */
const HOSTILE = [
  '', ' ', '\u0000', 'a\u0000b', '\u202Eevil.pdf\u202C', '\u200F\u200E', '\uFEFF', '👩‍⚕️🏥🔐', '\uD800', 'x\uDC00y', '\uDBFF\uDFFF',
  'Ω≈ç√∫˜µ≤≥÷', '﷽', 'Z̤͔ͧ̑̓ä͖̭̈̇l͖͎g̞̥͈o', '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "' OR '1'='1' --", '; DROP TABLE users; --',
  '../../../../etc/passwd', '%00', '%2e%2e%2f', '${jndi:ldap://x.example/a}', '{{7*7}}', '\r\nSet-Cookie: x=1', '=cmd|\'/C calc\'!A0',
  'null', 'true', '-1', '0', '1e309', 'NaN', 'Infinity', '2026-02-30', '2026-13-01', '-271821-04-20T00:00:00Z', '+275760-09-13T00:00:00Z',
  '0000-00-00T00:00:00Z', '9999-12-31T23:59:59.999Z', '99999-01-01', '1970-01-01T00:00:00Z', 'not-a-uuid', '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff', 'a'.repeat(5000),
];
const MALFORMED_JSON = ['{', '{"a":', '[1,]', '{"a":1}}', 'nul', "{'a':1}", '{"a":"\\u12"}', '\u0000', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}', '1e99999', '"'];
const CONTENT_TYPES = [
  'text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data', 'multipart/form-data; boundary=x',
  'application/json; charset=utf-16', 'application/x-ndjson', 'application/octet-stream', 'text/html', 'application/vnd.api+json', 'invalid',
];

type Body =
  | { kind: 'none' }
  | { kind: 'json'; value: unknown }
  | { kind: 'raw'; contentType: string; raw: string }
  | { kind: 'multipart'; fields: [string, string][]; file?: { content: Buffer; contentType: string; filename: string } };

interface FuzzCase {
  path: Record<string, string>;
  query: [string, string][];
  body: Body;
}

const hostile = fc.constantFrom(...HOSTILE);
const anyString = fc.oneof(hostile, fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom(ONE_MB, LARGE));
const wrongType = fc.oneof(
  fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(-1), fc.constant(2 ** 63),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
);
const anyValue = fc.oneof(anyString, wrongType);
/** In a URL: hostile text, and a value past Node's 16 KiB request-head limit (a 431) instead of 1 MB. */
const urlValue = fc.oneof(
  { weight: 4, arbitrary: hostile }, { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) }, { weight: 1, arbitrary: fc.constant('q'.repeat(20_000)) },
);
/** Sent as is in the path, not percent-encoded: malformed escapes. */
const RAW_PATH = ['%', '%zz', '%E0%A4%A', '%C0%AF', '%00', '%FF%FE'];
const DELETE = Symbol('delete');

/** Every field of a schema with its own schema, two levels deep (`admin.email`, `password.minLength`, `blackouts.0.label`). */
function fields(schema: Schema | undefined, prefix: string[] = [], depth = 0): [string[], Schema][] {
  const s = flatten(schema);
  if (depth > 2) return [];
  if (s.type === 'array') return fields(s.items, [...prefix, '0'], depth + 1);
  return Object.entries(s.properties ?? {}).flatMap(([k, p]): [string[], Schema][] => [[[...prefix, k], flatten(p)], ...fields(p, [...prefix, k], depth + 1)]);
}

/** The fields of an example value, two levels deep (array items as `0`). */
function valueFields(value: unknown, prefix: string[] = [], depth = 0): [string[], Schema][] {
  if (depth > 2 || !value || typeof value !== 'object') return [];
  const entries = Array.isArray(value) ? value.slice(0, 1).map((v, i): [string, unknown] => [String(i), v]) : Object.entries(value);
  return entries.flatMap(([k, v]): [string[], Schema][] => [[[...prefix, k], {}], ...valueFields(v, [...prefix, k], depth + 1)]);
}

const DATE_TIMES = [
  '-271821-04-20T00:00:00Z', '+275760-09-13T00:00:00Z', '-000001-01-01T00:00:00Z', '0000-01-01T00:00:00Z', '2026-02-30T10:00:00Z',
  '2026-11-23T25:61:00Z', '2026-11-23', '1', '-1', '1e20', 'Infinity', 'yesterday', '2026-11-23T10:00:00+99:00',
];
const DATES = ['2026-02-30', '0000-01-01', '10000-01-01', '2026-1-1', '-2026-01-01', '20260101', '2026-11-23T10:00:00Z'];
const EMAILS = ['a@', '@b.test', 'a@b', `${'x'.repeat(400)}@e.test`, '"a b"@c.test', 'a@[127.0.0.1]', 'é@ü.test', 'a@b.test\r\nBcc: x@y.test'];
const URLS = ['javascript:alert(1)', 'file:///etc/passwd', 'http://user:pw@h.test', 'http://127.0.0.1:6379/', 'gopher://x', 'http://[::1]/', `https://${'a'.repeat(3000)}.test`];

/** Values aimed at what the schema says the field is (dates at dates, numbers at ranges), then anything. */
function hostileFor(s: Schema, name: string, fallback: fc.Arbitrary<unknown> = anyValue): fc.Arbitrary<unknown> {
  const aimed: unknown[] = [];
  if (s.format === 'date-time' || /^(from|to|at)$|[a-z](At|From|Until)$/.test(name)) aimed.push(...DATE_TIMES);
  if (s.format === 'date') aimed.push(...DATES);
  if (s.format === 'uuid') aimed.push('not-a-uuid', '00000000-0000-0000-0000-000000000000', 'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF', '');
  if (s.type === 'integer' || s.type === 'number') {
    aimed.push((s.minimum ?? 0) - 1, (s.maximum ?? 1e9) + 1, 1.5, 2 ** 53 + 1, -0, 1e308, '12', String((s.maximum ?? 1e9) + 1));
  }
  if (s.enum) aimed.push('', String(s.enum[0]).toUpperCase(), `${String(s.enum[0])} `, s.enum);
  if (/email/i.test(name)) aimed.push(...EMAILS);
  if (/url/i.test(name)) aimed.push(...URLS);
  return aimed.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...aimed) }, { weight: 1, arbitrary: fallback }) : fallback;
}

function setAt(target: unknown, path: string[], value: unknown): unknown {
  if (!path.length) return value === DELETE ? undefined : value;
  const copy: Record<string, unknown> = Array.isArray(target) ? ([...target] as unknown as Record<string, unknown>)
    : target && typeof target === 'object' ? { ...(target as Record<string, unknown>) } : {};
  const [head, ...rest] = path;
  const next = setAt(copy[head], rest, value);
  if (next === undefined) delete copy[head];
  else copy[head] = next;
  return copy;
}

/** A valid body, then some of its fields replaced by hostile values, wrong types, or removed. */
function mutatedJson(base: unknown, schema: Schema | undefined): fc.Arbitrary<Body> {
  // A body the document does not describe field by field (the journal's array of events): its example's fields.
  const all = fields(schema).length ? fields(schema) : valueFields(base);
  const change = (path: string[], s: Schema) => fc.tuple(fc.constant(path), fc.oneof(
    { weight: 4, arbitrary: hostileFor(s, path[path.length - 1]) }, { weight: 1, arbitrary: fc.constant<unknown>(DELETE) },
    { weight: 1, arbitrary: fc.constant<unknown>(null) },
  ));
  const mutation = all.length
    ? fc.array(fc.oneof(...all.map(([path, s]) => change(path, s))), { minLength: 1, maxLength: 3 })
    : fc.constant<[string[], unknown][]>([]);
  return mutation.map((changes) => ({ kind: 'json', value: changes.reduce<unknown>((body, [path, value]) => setAt(body, path, value), base) }));
}

function jsonBody(base: unknown, schema: Schema | undefined): fc.Arbitrary<Body> {
  return fc.oneof(
    { weight: 6, arbitrary: mutatedJson(base, schema) },
    { weight: 1, arbitrary: fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), anyValue).map(([k, v]): Body => ({ kind: 'json', value: { ...(base as object), [k]: v } })) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value): Body => ({ kind: 'json', value })) },
    { weight: 1, arbitrary: fc.constantFrom(...MALFORMED_JSON).map((raw): Body => ({ kind: 'raw', contentType: 'application/json', raw })) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...CONTENT_TYPES), fc.oneof(hostile, fc.constant(JSON.stringify(base ?? {}))))
      .map(([contentType, raw]): Body => ({ kind: 'raw', contentType, raw })) },
    { weight: 1, arbitrary: fc.constant<Body>({ kind: 'json', value: base }) },
  );
}

function multipartBody(base: Record<string, unknown>): fc.Arbitrary<Body> {
  const keys = Object.keys(base);
  const file = fc.constantFrom(
    { content: pdf('fuzz'), contentType: 'application/pdf', filename: 'signed.pdf' },
    { content: Buffer.from('<html><script>alert(1)</script></html>'), contentType: 'text/html', filename: 'evil.html' },
    { content: pdf('fuzz-html'), contentType: 'text/html', filename: '\u202Efdp.html' },
    { content: Buffer.alloc(0), contentType: 'application/pdf', filename: 'empty.pdf' },
    { content: Buffer.from('%PDF-1.4 truncated'), contentType: 'application/pdf', filename: '签名 "quoted"\r\n.pdf' },
    undefined,
  );
  const fields = fc.array(fc.tuple(keys.length ? fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 10 })) : fc.string({ maxLength: 10 }),
    fc.oneof(fc.constant<string | typeof DELETE>(DELETE), anyString)), { maxLength: 3 })
    .map((changes) => {
      const out = new Map(Object.entries(base).map(([k, v]) => [k, String(v)]));
      for (const [k, v] of changes) {
        if (v === DELETE) out.delete(k);
        else out.set(k, v);
      }
      return [...out.entries()];
    });
  return fc.oneof(
    { weight: 5, arbitrary: fc.record({ fields, file }).map(({ fields: f, file: upload }): Body => ({ kind: 'multipart', fields: f, file: upload })) },
    { weight: 1, arbitrary: fc.constant<Body>({ kind: 'json', value: base }) },
    { weight: 1, arbitrary: fc.constantFrom(...CONTENT_TYPES).map((contentType): Body => ({ kind: 'raw', contentType, raw: '--x\r\nContent-Disposition: form-data; name="file"\r\n\r\nabc\r\n--x--' })) },
  );
}

function queryValue(p: Parameter, references: Record<string, string>, now: Date): fc.Arbitrary<string[]> {
  const s = p.schema ?? {};
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant<string[]>([String(exampleOf(s, p.name, references, now))]) },
    { weight: 4, arbitrary: hostileFor(s, p.name, urlValue).map((v) => [typeof v === 'string' ? v : JSON.stringify(v)]) },
    { weight: 1, arbitrary: fc.tuple(hostile, hostile).map(([a, b]) => [a, b]) },
  );
}

function caseOf(op: Operation, sw: SecurityWorld, now: Date): fc.Arbitrary<FuzzCase> {
  const valid = sw.pathValues(op);
  const path = fc.record(Object.fromEntries(Object.entries(valid).map(([name, id]) => [name, fc.oneof(
    { weight: 6, arbitrary: fc.constant(id) },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 2, arbitrary: fc.oneof(urlValue, fc.constant(id.toUpperCase()), fc.constant(`${id}x`)) },
    { weight: 1, arbitrary: fc.constantFrom(...RAW_PATH) },
  )])));
  const query = fc.tuple(
    ...op.queryParams.map((p) => fc.option(queryValue(p, sw.references, now), { nil: undefined }).map((v) => (v ? v.map((x): [string, string] => [p.name, x]) : []))),
    fc.option(fc.tuple(fc.string({ minLength: 1, maxLength: 8 }), hostile), { nil: undefined, freq: 5 }).map((extra) => (extra ? [extra] : [])),
  ).map((parts) => parts.flat());
  const schema = op.body?.schema;
  const base = sw.bodies[op.label] ?? (op.body ? exampleOf(schema, 'body', sw.references, now) : undefined);
  const body: fc.Arbitrary<Body> = !op.body
    ? fc.oneof({ weight: 4, arbitrary: fc.constant<Body>({ kind: 'none' }) }, { weight: 1, arbitrary: jsonBody({}, undefined) })
    : isMultipart(op) ? multipartBody(base as Record<string, unknown>) : jsonBody(base, schema);
  return fc.record({ path, query, body });
}

/** Percent-encodes every byte outside the unreserved set (lone surrogates become U+FFFD like any UTF-8 encoder does). */
function encode(value: string): string {
  return [...Buffer.from(value, 'utf8')].map((b) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

async function send(ctx: TestContext, op: Operation, headers: Record<string, string>, c: FuzzCase): Promise<Response> {
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => (RAW_PATH.includes(c.path[name]) ? c.path[name] : encode(c.path[name])));
  const query = c.query.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&');
  let req = ctx.http[op.method](query ? `${path}?${query}` : path).set(headers);
  switch (c.body.kind) {
    case 'none':
      return req;
    case 'json':
      return req.set('content-type', 'application/json').send(JSON.stringify(c.body.value) ?? 'null');
    case 'raw':
      return c.body.contentType ? req.set('content-type', c.body.contentType).send(c.body.raw) : req.send(c.body.raw);
    case 'multipart':
      for (const [k, v] of c.body.fields) req = req.field(k, v);
      return c.body.file ? req.attach('file', c.body.file.content, { filename: c.body.file.filename, contentType: c.body.file.contentType }) : req;
  }
}

/** Why an answer is not acceptable, or undefined. */
function flaw(res: Response): string | undefined {
  if (res.status >= 500) return `answered ${res.status}: ${JSON.stringify(res.body)}`;
  if (res.status < 400) return undefined;
  if (!String(res.headers['content-type']).startsWith('application/problem+json')) return `a ${res.status} as ${res.headers['content-type']}`;
  const b = res.body as Record<string, unknown>;
  if (typeof b?.type !== 'string' || typeof b.title !== 'string' || b.status !== res.status) return `a ${res.status} that is not a problem: ${JSON.stringify(b)}`;
  return undefined;
}

describe('Security suite: fuzzing every operation from its OpenAPI schema (R-ART28)', () => {
  let sw: SecurityWorld;
  let ctx: TestContext;
  let operations: Operation[];

  useSecurityWorld({ others: false }, async (started) => {
    sw = started;
    await sw.ctx.stopWorker();
    ({ ctx, operations } = sw);
  }, 120_000);

  /**
   * Four contiguous parts, a test each, to stay within a test's budget on a loaded machine: the session-ending operation
   * still runs last, and each operation's cases come from the seed alone.
   */
  const PARTS = [1, 2, 3, 4];
  const statuses = new Map<number, number>();
  let cases = 0;
  let fuzzed = 0;
  const inOrder = () => {
    const selected = operations.filter((op) => (!ONLY || op.label.includes(ONLY)) && !(SKIP && op.label.includes(SKIP)));
    return [...selected.filter((op) => op.label !== 'POST /v1/auth/logout'), ...selected.filter((op) => op.label === 'POST /v1/auth/logout')];
  };

  it.each(PARTS)('R-ART28 no input makes any operation answer a 5xx; every 4xx is application/problem+json with type, title and status (part %i of 4)', async (part) => {
    const now = ctx.clock.now();
    const ordered = inOrder();
    const share = ordered.filter((_, i) => Math.floor((i * PARTS.length) / ordered.length) === part - 1);
    const failures: string[] = [];
    let partCases = 0;
    for (const op of share) {
      const caller = sw.authorizedFor(op);
      const result = await fc.check(fc.asyncProperty(caseOf(op, sw, now), async (c) => {
        partCases++;
        const res = await send(ctx, op, caller.headers, c).catch((error: Error) => {
          throw new Error(`${op.label} as ${caller.name}: the request failed (${error.message})`);
        });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const problem = flaw(res);
        if (problem) throw new Error(`${op.label} as ${caller.name}: ${problem}`);
      }), { seed: SEED, numRuns: RUNS, endOnFailure: true });
      if (result.failed) failures.push(`${String(result.errorInstance)}\n${fc.defaultReportMessage(result)}`);
      fuzzed++;
    }
    cases += partCases;
    console.log([
      `Fuzz part ${part} of ${PARTS.length}: seed ${SEED}, ${RUNS} runs per operation, ${share.length} operations, ${partCases} requests`,
      ...(failures.length ? [`reproduce: FUZZ_SEED=${SEED} FUZZ_ONLY="<operation label>" npx jest test/security/fuzz.e2e.ts --selectProjects e2e`] : []),
    ].join('\n'));
    expect(failures).toEqual([]);
  }, 300_000);

  it('R-ART28 the fuzz reached every operation, and most of its requests got past authentication (validation and handlers, not just the guard)', () => {
    console.log(`Fuzz: ${fuzzed} operations, ${cases} requests; answers: ${[...statuses.entries()].sort(([a], [b]) => a - b).map(([st, n]) => `${st}x${n}`).join(' ')}`);
    if (!ONLY && !SKIP) expect(fuzzed).toBe(operations.length);
    expect(cases).toBeGreaterThan(0);
    const refused = (statuses.get(401) ?? 0) + (statuses.get(403) ?? 0);
    expect(refused).toBeLessThan(cases / 10);
  });

  it('R-ART28 the inputs the fuzzer found answering 500 are now 400 problems naming the field, whatever the seed', async () => {
    // A session of its own: the fuzz of POST /v1/auth/logout ended the seeded DSI's.
    const dsi = (await ctx.signIn(sw.world.dsi.email)).auth;
    const contractor = sw.objects.contractors;
    const cases: [string, () => Promise<Response>, string?][] = [
      ['multipart without boundary', () => ctx.http.post('/v1/documents').set(dsi).set('content-type', 'multipart/form-data').send('--x\r\n\r\nabc\r\n--x--')],
      ['an instant before 4713 BC in a filter', () => ctx.http.get('/v1/audit-events?from=-271821-04-20T00:00:00Z').set(dsi), 'from'],
      ['an instant before 4713 BC in a body', () => ctx.http.post('/v1/derogations').set(dsi).send({
        kind: 'equipment', scope: 'Portable', justification: 'Diagnostic', validFrom: '-271821-04-20T00:00:00Z', validUntil: '2030-01-01T00:00:00Z',
      }), 'validFrom'],
      ['null for a declared change', () => ctx.http.post(`/v1/contractors/${contractor}/changes`).set(dsi).send({ changes: { legalName: null }, effectiveDate: '2030-01-01' }), 'changes.legalName'],
      ['a calendar date in year 0000', () => ctx.http.post(`/v1/contractors/${contractor}/changes`).set(dsi).send({ changes: { legalName: 'Nouveau nom' }, effectiveDate: '0000-01-01' }), 'effectiveDate'],
      ['a lone surrogate', () => ctx.http.post('/v1/api-keys').set(dsi).set('content-type', 'application/json').send('{"name":"\\ud800","scopes":["decisions"]}'), 'name'],
      ['a malformed URL escape', () => ctx.http.get('/v1/users/%FF%FE').set(dsi)],
    ];
    for (const [label, call, field] of cases) {
      const res = await call();
      expect({ label, status: res.status, flaw: flaw(res) }).toEqual({ label, status: 400, flaw: undefined });
      if (field) expect({ label, fields: (res.body.errors ?? []).map((e: { field: string }) => e.field) }).toEqual({ label, fields: expect.arrayContaining([field]) });
    }
  });
});
