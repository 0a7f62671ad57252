import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { ACCESS_RULE, AccessRule } from '@app/identity';
import type { TestContext } from '@app/testing';
import type { Response } from 'supertest';
import { withExampleBody } from './examples';
import { Access, fillPath, Operation, paramKinds } from './openapi';
import { Caller, CONTRACTOR_OWNED, mayCall, SecurityWorld, useSecurityWorld } from './security-world';

/** What a cell must answer: a status, "allowed" (the guard let it through: not 401/403, not 5xx), or "public". */
type Expected = 401 | 403 | 404 | 'allowed' | 'public';

interface Cell {
  op: Operation;
  caller: Caller;
  column: string;
  expected: Expected;
  status?: number;
  problem?: string;
}

const BASE_COLUMNS = [
  'anonymous', 'gateway:decisions', 'gateway:connections', 'platform_admin',
  'A:dsi', 'A:rssi', 'A:referent', 'A:auditor', 'A:legal_rep', 'A:security_contact', 'A:security_deputy', 'A:staff',
];
const OTHER_TENANT = 'other tenant';
const OTHER_COMPANY = 'other company';

/** Operations that end the caller's own session run after every other one. */
const SESSION_ENDING = new Set(['POST /v1/auth/logout']);

/**
 * The expected answer, from the access rule the document declares for the operation (the decorator the
 * guard reads) and from where the caller stands: never from what the API answered before.
 */
function expectedFor(op: Operation, caller: Caller): Expected {
  if (op.access.kind === 'public') return 'public';
  if (caller.name === 'anonymous') return 401;
  if (!mayCall(op.access, caller)) return 403;
  const kinds = Object.values(paramKinds(op.path));
  // Objects of another establishment, or of another company, do not exist for the caller (the access rule: not found for missing and forbidden alike).
  if (caller.tenant === 'B' && kinds.length) return 404;
  if (caller.contractor === 'C' && kinds.some((k) => CONTRACTOR_OWNED.has(k))) return 404;
  return 'allowed';
}

/** For the "other" columns: a caller of that side holding a role the operation allows, if there is one. */
function pick(sw: SecurityWorld, prefix: 'B:' | 'C:', op: Operation, fallback: string): Caller {
  const candidates = [...sw.callers.values()].filter((c) => c.name.startsWith(prefix));
  return candidates.find((c) => op.access.kind === 'roles' && mayCall(op.access, c)) ?? sw.caller(fallback);
}

/**
 * Whatever an operation downloads (documents, signatures, exports, evidence) is never rendered by a browser:
 * nosniff, and an attachment, or, for the one printable page (review evidence), a CSP that runs nothing.
 */
function inertDownloadFlaw(res: Response): string | undefined {
  const type = String(res.headers['content-type'] ?? '');
  if (!type || /^application\/(problem\+)?json/.test(type)) return undefined;
  if (res.headers['x-content-type-options'] !== 'nosniff') return `a ${type} download without nosniff`;
  if (type.startsWith('text/html')) {
    return String(res.headers['content-security-policy']).startsWith("default-src 'none'") ? undefined : 'an HTML page without a CSP that runs nothing';
  }
  return /^attachment;/.test(String(res.headers['content-disposition'])) ? undefined : `a ${type} download not served as an attachment`;
}

function verdict(cell: Cell, res: Response): string | undefined {
  const { expected } = cell;
  if (res.status >= 500) return `answered ${res.status}`;
  if (res.status >= 400 && !String(res.headers['content-type']).includes('application/problem+json')) return `a ${res.status} that is not problem+json`;
  if (res.status < 300 && inertDownloadFlaw(res)) return inertDownloadFlaw(res);
  if (expected === 'allowed') return [401, 403].includes(res.status) ? `allowed by its declared rule, got ${res.status} ${res.body?.detail ?? ''}` : undefined;
  if (expected === 'public') return res.status === 403 ? 'public, got 403' : undefined;
  return res.status === expected ? undefined : `expected ${expected}, got ${res.status} ${res.body?.detail ?? ''}`;
}

describe('Security suite: authorization matrix from the OpenAPI document (R-ART28, R-AUD)', () => {
  let sw: SecurityWorld;
  let ctx: TestContext;
  let operations: Operation[];

  useSecurityWorld({}, (started) => {
    sw = started;
    ({ ctx, operations } = sw);
  }, 120_000);

  it('R-ART28 every route of the application is in the OpenAPI document with the access rule its guard enforces', () => {
    const documented = new Map(operations.map((op) => [op.label, op.access]));
    const routes: { label: string; rule: AccessRule | undefined }[] = [];
    for (const module of ctx.api.get(ModulesContainer).values()) {
      for (const wrapper of module.controllers.values()) {
        const controller = wrapper.metatype as (new () => object) | null;
        if (!controller) continue;
        const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
        for (const key of Object.getOwnPropertyNames(controller.prototype)) {
          const handler = (controller.prototype as Record<string, unknown>)[key];
          if (key === 'constructor' || typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
          const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
          const path = `/${[base, String(Reflect.getMetadata(PATH_METADATA, handler))].join('/')}`
            .replace(/\/+/g, '/').replace(/\/$/, '').replace(/:(\w+)/g, '{$1}');
          const rule = (Reflect.getMetadata(ACCESS_RULE, handler) ?? Reflect.getMetadata(ACCESS_RULE, controller)) as AccessRule | undefined;
          routes.push({ label: `${method} ${path}`, rule });
        }
      }
    }
    const published = (rule: AccessRule | undefined): Access | undefined =>
      rule?.kind === 'roles' ? { kind: 'roles', roles: [...new Set(rule.roles)] } : rule;
    // A route left out of the document would escape the matrix: only a public one may (none today).
    expect(routes.filter((r) => !documented.has(r.label) && r.rule?.kind !== 'public').map((r) => r.label)).toEqual([]);
    const disagreements = routes
      .filter((r) => documented.has(r.label) && JSON.stringify(documented.get(r.label)) !== JSON.stringify(published(r.rule)))
      .map((r) => `${r.label}: guard ${JSON.stringify(r.rule)}, document ${JSON.stringify(documented.get(r.label))}`);
    expect(disagreements).toEqual([]);
    expect(routes.map((r) => r.label)).toEqual(expect.arrayContaining([...documented.keys()]));
  });

  it('R-ART28 R-AUD every operation x every caller answers as declared: 401 anonymous, 403 wrong role or key, 404 across tenants and companies', async () => {
    const now = ctx.clock.now();
    const ordered = [...operations.filter((op) => !SESSION_ENDING.has(op.label)), ...operations.filter((op) => SESSION_ENDING.has(op.label))];
    const cells: Cell[] = [];
    for (const op of ordered) {
      const columns = [
        ...BASE_COLUMNS.map((name) => ({ column: name, caller: sw.caller(name) })),
        { column: OTHER_TENANT, caller: pick(sw, 'B:', op, 'B:dsi') },
        { column: OTHER_COMPANY, caller: pick(sw, 'C:', op, 'C:security_contact') },
      ];
      const opCells: Cell[] = columns.map(({ column, caller }) => ({ op, caller, column, expected: expectedFor(op, caller) }));
      // Refusals first: an allowed call may change the object (approve, withdraw...) the others then point to.
      opCells.sort((a, b) => Number(a.expected === 'allowed') - Number(b.expected === 'allowed'));
      for (const cell of opCells) {
        const path = fillPath(op.path, sw.pathValues(op));
        const req = ctx.http[op.method](path).set(cell.caller.headers);
        const body = sw.bodies[op.label];
        try {
          const res = body ? await req.send(body) : await withExampleBody(req, op, sw.references, now);
          cell.status = res.status;
          cell.problem = verdict(cell, res);
        } catch (error) {
          cell.problem = `the request failed: ${String(error)}`;
        }
        cells.push(cell);
      }
      // A public operation ignores credentials: every caller gets the same answer.
      if (op.access.kind === 'public') {
        const statuses = new Set(cells.filter((c) => c.op === op).map((c) => c.status));
        if (statuses.size > 1) cells.find((c) => c.op === op)!.problem = `public, but answers differ by caller: ${[...statuses].join(', ')}`;
      }
    }

    const columnNames = [...BASE_COLUMNS, OTHER_TENANT, OTHER_COMPANY];
    const table = operations.map((op) => {
      const row = cells.filter((c) => c.op === op);
      return `${op.label.padEnd(62)} ${columnNames.map((name) => String(row.find((c) => c.column === name)?.status ?? '-')).join(' ')}`;
    });
    console.log([
      `Authorization matrix: ${operations.length} operations x ${columnNames.length} callers = ${cells.length} cells`,
      `columns: ${columnNames.join(' | ')}`, ...table,
    ].join('\n'));

    expect(cells.filter((c) => c.problem).map((c) => `${c.op.label} as ${c.column} (${c.caller.name}): ${c.problem}`)).toEqual([]);
    expect(cells).toHaveLength(operations.length * columnNames.length);
    expect(new Set(cells.map((c) => c.op.label)).size).toBe(operations.length);
    // Every guarded operation was both refused to someone and let through for someone.
    for (const op of operations.filter((o) => o.access.kind !== 'public')) {
      const row = cells.filter((c) => c.op === op);
      expect({ op: op.label, allowed: row.some((c) => c.expected === 'allowed'), refused: row.some((c) => c.expected === 403) })
        .toEqual({ op: op.label, allowed: true, refused: true });
    }
    // 14 requests per operation, one after the other: 1,554 cells with the platform operator's routes, past jest's 60 s
    // default on the shared 2-core machine when other suites load it.
  }, 180_000);
});
