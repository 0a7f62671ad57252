import type { Response } from 'supertest';
import { Role } from '@app/core';
import { pdf, REVIEW_STATEMENT } from '@app/testing';
import { exampleOf } from './examples';
import { fillPath, isMultipart, Operation } from './openapi';
import { Fixtures } from './concurrency-fixtures';
import { SecurityWorld } from './security-world';

/** One request of a burst: the object it names, its body (else a valid one from the document) and its caller. */
export interface Shot {
  path: Record<string, string>;
  body?: object;
  as?: Record<string, string>;
  /** Where the state is read back, and the field the winner's answer and that read share. */
  read?: { path: string; field: string };
}

/**
 * transition: one request wins, the others are 409 with the current state.
 * set: replaces a set with the same value: every request answers the same, the state changes once.
 * create: each call makes a new object, so a retried one carries an Idempotency-Key: the burst shares one and creates one.
 */
export type Mode = 'transition' | 'set' | 'create';

export interface Scenario {
  mode: Mode;
  /** Which file runs it (each file boots its own app; a burst takes a few seconds on a loaded machine). */
  file: 'accounts' | 'flows';
  prepare(f: Fixtures): Promise<Shot>;
}

/** Two opposite operations on one object. Without `actions`, exactly one of them wins; with them, they may win in turn. */
export interface Pair {
  a: string;
  b: string;
  file: Scenario['file'];
  prepare(f: Fixtures): Promise<{ a: Shot; b: Shot }>;
  /** For operations that undo each other (suspend, resume): each win is one audit event of these actions. */
  actions?: string[];
  /** `a` sets one value: its first win is an event, a repeat answers 200 and changes nothing (no event). */
  aSetsOneValue?: boolean;
}

export const BURST = 10;

const account = (id: string): Shot => ({ path: { id }, read: { path: `/v1/accounts/${id}`, field: 'status' } });
const habilitation = (f: Fixtures, id: string): Shot => ({
  path: { id }, read: { path: `/v1/accounts/${f.sw.objects.accounts}/habilitations?limit=100`, field: 'status' },
});
const window = (id: string, field = 'status'): Shot => ({ path: { id }, read: { path: `/v1/interventions/${id}`, field } });
const reason = { reason: 'Décision de la DSI' };
const comment = { comment: 'Vérifié avec le prestataire' };

/** Every state-changing operation with a path id, and how a burst of it is judged. */
export const SCENARIOS: Record<string, Scenario> = {
  // libs/accounts (R-ART28, R-ART31)
  'POST /v1/contractors/{id}/accounts': { mode: 'create', file: 'accounts', prepare: async (f) => ({ path: { id: f.sw.world.contractorId }, as: f.contact }) },
  'POST /v1/accounts/{id}/approve': { mode: 'transition', file: 'accounts', prepare: async (f) => account(await f.requestedAccount()) },
  'POST /v1/accounts/{id}/reject': { mode: 'transition', file: 'accounts', prepare: async (f) => ({ ...account(await f.requestedAccount()), body: reason }) },
  'POST /v1/accounts/{id}/activate': { mode: 'transition', file: 'accounts', prepare: async (f) => account(await f.readyApprovedAccount()) },
  'POST /v1/accounts/{id}/suspend': { mode: 'transition', file: 'accounts', prepare: async (f) => ({ ...account(await f.approvedAccount()), body: reason }) },
  'POST /v1/accounts/{id}/reinstate': { mode: 'transition', file: 'accounts', prepare: async (f) => ({ ...account(await f.departedAccount()), body: reason }) },
  'POST /v1/accounts/{id}/resume': { mode: 'transition', file: 'accounts', prepare: async (f) => account(await f.suspendedAccount()) },
  'POST /v1/accounts/{id}/convention': {
    mode: 'create', file: 'accounts',
    prepare: async (f) => {
      const id = await f.approvedAccount();
      const { body: a } = await f.sw.ctx.http.get(`/v1/accounts/${id}`).set(f.dsi).expect(200);
      const body = { documentId: f.sw.world.conventionId, signerFirstName: a.firstName, signerLastName: a.lastName, signedOn: f.sw.world.today(), allPagesInitialled: 'true' };
      return { path: { id }, as: f.contact, body };
    },
  },
  'POST /v1/accounts/{id}/habilitations': { mode: 'create', file: 'accounts', prepare: async (f) => ({ path: { id: f.sw.objects.accounts }, as: f.contact }) },
  'POST /v1/habilitations/{id}/approve': { mode: 'transition', file: 'accounts', prepare: async (f) => habilitation(f, await f.requestedHabilitation()) },
  'POST /v1/habilitations/{id}/reject': { mode: 'transition', file: 'accounts', prepare: async (f) => ({ ...habilitation(f, await f.requestedHabilitation()), body: reason }) },
  'POST /v1/habilitations/{id}/revoke': { mode: 'transition', file: 'accounts', prepare: async (f) => ({ ...habilitation(f, await f.approvedHabilitation()), body: reason }) },
  'POST /v1/contractors/{id}/departures': {
    mode: 'create', file: 'accounts',
    prepare: async (f) => {
      const id = await f.approvedAccount();
      const [a] = await f.sw.ctx.query<{ first_name: string; last_name: string }>(`SELECT first_name, last_name FROM accounts WHERE id = $1`, [id]);
      return { path: { id: f.sw.world.contractorId }, as: f.contact, body: { firstName: a.first_name, lastName: a.last_name, accountId: id, effectiveOn: f.sw.world.today() } };
    },
  },
  // libs/derogations, libs/notifications webhooks, API keys, users (R-ART16-27, R-ART41, R-ART28)
  'POST /v1/derogations/{id}/revoke': { mode: 'transition', file: 'accounts', prepare: async (f) => ({ path: { id: await f.derogation() }, body: reason, read: undefined }) },
  // A deletion is idempotent (HTTP): every call answers 204, one revocation is audited.
  'DELETE /v1/webhooks/{id}': { mode: 'set', file: 'accounts', prepare: async (f) => ({ path: { id: await f.webhook() } }) },
  'POST /v1/webhooks/{id}/rotate-secret': { mode: 'create', file: 'accounts', prepare: async (f) => ({ path: { id: await f.webhook() }, body: {} }) },
  'DELETE /v1/api-keys/{id}': { mode: 'set', file: 'accounts', prepare: async (f) => ({ path: { id: await f.apiKey() } }) },
  'POST /v1/users/{id}/invitation/resend': { mode: 'create', file: 'accounts', prepare: async (f) => ({ path: { id: await f.invitedUser() } }) },
  'POST /v1/users/{id}/mfa/reset': { mode: 'transition', file: 'accounts', prepare: async (f) => ({ path: { id: await f.enrolledUser() }, body: { reason: 'Téléphone perdu' } }) },
  'POST /v1/users/{id}/mfa/reset-request': {
    mode: 'create', file: 'accounts', prepare: async (f) => ({ path: { id: await f.enrolledUser(true) }, as: f.contact, body: { reason: 'Téléphone perdu' } }),
  },
  'POST /v1/tenants/{id}/users/{userId}/mfa/reset': {
    mode: 'transition', file: 'accounts',
    prepare: async (f) => {
      const [dsi] = await f.sw.ctx.query<{ id: string }>(`SELECT id FROM users WHERE tenant_id = $1 AND 'dsi' = ANY(roles) AND id <> $2 LIMIT 1`, [f.sw.world.tenantId, f.sw.world.dsi.userId]);
      const userId = dsi?.id ?? (await f.sw.ctx.createUser({ tenantId: f.sw.world.tenantId, roles: [Role.Dsi], enrolled: true })).id;
      return { path: { id: f.sw.world.tenantId, userId }, body: { reason: 'Téléphone perdu' } };
    },
  },

  // libs/interventions (R-ART36, R-ART42)
  'POST /v1/interventions/{id}/approve': { mode: 'transition', file: 'flows', prepare: async (f) => ({ ...window(await f.requestedWindow()), body: { overrideUsage: true } }) },
  'POST /v1/interventions/{id}/reject': { mode: 'transition', file: 'flows', prepare: async (f) => ({ ...window(await f.requestedWindow()), body: reason }) },
  'POST /v1/interventions/{id}/cancel': { mode: 'transition', file: 'flows', prepare: async (f) => ({ ...window(await f.approvedWindow()), body: reason }) },
  'POST /v1/interventions/{id}/report': { mode: 'create', file: 'flows', prepare: async (f) => ({ path: { id: await f.pendingEmergency() }, as: f.contact }) },
  'PUT /v1/contractors/{id}/referents': {
    mode: 'set', file: 'flows',
    prepare: async (f) => {
      const referent = await f.sw.ctx.createUser({ tenantId: f.sw.world.tenantId, roles: [Role.Referent] });
      return { path: { id: f.sw.world.contractorId }, body: { userIds: [referent.id] } };
    },
  },
  // libs/journal (R-ART41): the triage of an anomaly case
  'POST /v1/anomaly-cases/{id}/acknowledge': { mode: 'transition', file: 'flows', prepare: async (f) => ({ path: { id: await f.anomalyCase() } }) },
  'POST /v1/anomaly-cases/{id}/assign': {
    mode: 'transition', file: 'flows', prepare: async (f) => ({ path: { id: await f.anomalyCase() }, body: { assigneeId: f.sw.world.dsi.userId } }),
  },
  'POST /v1/anomaly-cases/{id}/close': { mode: 'transition', file: 'flows', prepare: async (f) => ({ path: { id: await f.anomalyCase() }, body: comment }) },
  'POST /v1/anomaly-cases/{id}/reopen': { mode: 'transition', file: 'flows', prepare: async (f) => ({ path: { id: await f.anomalyCase('closed') }, body: comment }) },
  // libs/reviews (R-ART34)
  'POST /v1/reviews/{id}/items/{itemId}': {
    mode: 'set', file: 'flows', prepare: async (f) => { const r = await f.openReview(); return { path: { id: r.review, itemId: r.item }, as: r.contact, body: { decision: 'remove' } }; },
  },
  'POST /v1/reviews/{id}/items': {
    mode: 'set', file: 'flows', prepare: async (f) => { const r = await f.openReview(); return { path: { id: r.review }, as: r.contact, body: { items: [{ itemId: r.item, decision: 'remove' }] } }; },
  },
  'POST /v1/reviews/{id}/items/{itemId}/override': {
    mode: 'set', file: 'flows', prepare: async (f) => { const r = await f.submittedReview(); return { path: { id: r.review, itemId: r.item }, body: { decision: 'remove' } }; },
  },
  'POST /v1/reviews/{id}/additions': { mode: 'create', file: 'flows', prepare: async (f) => { const r = await f.openReview(); return { path: { id: r.review }, as: r.contact }; } },
  'POST /v1/reviews/{id}/submit': {
    mode: 'transition', file: 'flows',
    prepare: async (f) => {
      const r = await f.openReview();
      await f.sw.ctx.query(`UPDATE review_items SET decision = 'keep' WHERE campaign_id = $1`, [r.review]);
      return { path: { id: r.review }, as: r.contact, body: REVIEW_STATEMENT, read: { path: `/v1/reviews/${r.review}`, field: 'status' } };
    },
  },
  'POST /v1/reviews/{id}/certify': {
    mode: 'transition', file: 'flows', prepare: async (f) => { const r = await f.submittedReview(); return { path: { id: r.review }, read: { path: `/v1/reviews/${r.review}`, field: 'status' } }; },
  },
  // libs/charters and libs/contractors (R-ART2, R-ART3, R-ART6, R-ART10)
  'POST /v1/documents/{id}/withdraw': { mode: 'transition', file: 'flows', prepare: async (f) => ({ path: { id: await f.document() }, body: reason }) },
  'POST /v1/contractors/{id}/signatures': {
    mode: 'create', file: 'flows',
    prepare: async (f) => ({ path: { id: f.sw.world.contractorId }, as: f.contact, body: await f.charterSignatureFields() }),
  },
  'POST /v1/signatures/{id}/validate': { mode: 'transition', file: 'flows', prepare: async (f) => ({ path: { id: await f.submittedSignature() } }) },
  'POST /v1/signatures/{id}/reject': { mode: 'transition', file: 'flows', prepare: async (f) => ({ path: { id: await f.submittedSignature() }, body: reason }) },
  'PUT /v1/contractors/{id}/contacts': {
    // A change (the deputy's new phone), sent ten times: the first declares it, the nine others find it declared.
    mode: 'set', file: 'flows', prepare: async (f) => {
      const { contacts } = f.sw.world;
      const phone = `+33 6 ${String(Math.floor(Math.random() * 1e8)).padStart(8, '0').replace(/(..)(?=.)/g, '$1 ')}`;
      return { path: { id: f.sw.world.contractorId }, body: { ...contacts, securityDeputy: { ...contacts.securityDeputy, phone } } };
    },
  },
  'POST /v1/contractors/{id}/changes': {
    mode: 'create', file: 'flows', prepare: async (f) => ({ path: { id: f.sw.world.contractorId }, as: f.contact, body: { changes: { address: 'Laval' }, effectiveDate: f.sw.world.today() } }),
  },
  'POST /v1/contractors/{id}/prestations': { mode: 'create', file: 'flows', prepare: async (f) => ({ path: { id: f.sw.world.contractorId } }) },
  'POST /v1/prestations/{id}/end': { mode: 'transition', file: 'flows', prepare: async (f) => ({ path: { id: await f.prestation() }, body: reason }) },
  'POST /v1/prestations/{id}/destruction-attestation': { mode: 'transition', file: 'flows', prepare: async (f) => ({ path: { id: await f.endedPrestation() } }) },
};

export const PAIRS: Pair[] = [
  { a: 'POST /v1/signatures/{id}/validate', b: 'POST /v1/signatures/{id}/reject', file: 'flows',
    prepare: async (f) => { const id = await f.submittedSignature(); return { a: { path: { id } }, b: { path: { id }, body: reason } }; } },
  { a: 'POST /v1/accounts/{id}/approve', b: 'POST /v1/accounts/{id}/reject', file: 'accounts',
    prepare: async (f) => { const s = account(await f.requestedAccount()); return { a: s, b: { ...s, body: reason } }; } },
  { a: 'POST /v1/accounts/{id}/suspend', b: 'POST /v1/accounts/{id}/resume', file: 'accounts', actions: ['account.suspended', 'account.resumed'],
    prepare: async (f) => { const s = account(await f.suspendedAccount()); return { a: { ...s, body: reason }, b: s }; } },
  { a: 'POST /v1/habilitations/{id}/approve', b: 'POST /v1/habilitations/{id}/reject', file: 'accounts',
    prepare: async (f) => { const s = habilitation(f, await f.requestedHabilitation()); return { a: s, b: { ...s, body: reason } }; } },
  { a: 'POST /v1/interventions/{id}/approve', b: 'POST /v1/interventions/{id}/reject', file: 'flows',
    prepare: async (f) => { const s = window(await f.requestedWindow()); return { a: { ...s, body: { overrideUsage: true } }, b: { ...s, body: reason } }; } },
  // R-ART36: an emergency is confirmed (approve) or challenged (reject) after the fact.
  { a: 'POST /v1/interventions/{id}/approve', b: 'POST /v1/interventions/{id}/reject', file: 'flows',
    prepare: async (f) => { const s = window(await f.pendingEmergency(), 'emergencyReview'); return { a: { ...s, body: {} }, b: { ...s, body: reason } }; } },
  { a: 'POST /v1/interventions/{id}/approve', b: 'POST /v1/interventions/{id}/cancel', file: 'flows', actions: ['intervention.approved', 'intervention.cancelled'],
    prepare: async (f) => { const s = window(await f.requestedWindow()); return { a: { ...s, body: { overrideUsage: true } }, b: { ...s, body: reason } }; } },
  { a: 'POST /v1/reviews/{id}/items/{itemId}/override', b: 'POST /v1/reviews/{id}/certify', file: 'flows', actions: ['review.item_overridden', 'review.certified'], aSetsOneValue: true,
    prepare: async (f) => {
      const r = await f.submittedReview();
      return { a: { path: { id: r.review, itemId: r.item }, body: { decision: 'remove' } }, b: { path: { id: r.review }, read: { path: `/v1/reviews/${r.review}`, field: 'status' } } };
    } },
  { a: 'POST /v1/prestations/{id}/end', b: 'POST /v1/prestations/{id}/destruction-attestation', file: 'flows', actions: ['prestation.ended', 'prestation.destruction_attested'],
    prepare: async (f) => { const id = await f.prestation(); return { a: { path: { id }, body: reason }, b: { path: { id } } }; } },
];

const READ = 'a read changes nothing';
/** Operations no burst exercises, each with the reason. A new operation must land in SCENARIOS or here, or the suite fails. */
export const NOT_APPLICABLE: Record<string, string> = {
  'POST /v1/auth/login': 'sign-in: each call opens its own session (the lockout counter is the auth suite\'s)',
  'POST /v1/auth/mfa/enroll': 'sign-in: each call issues its own enrolment secret',
  'POST /v1/auth/mfa/enroll/confirm': 'sign-in: single-use token, the auth suite\'s',
  'POST /v1/auth/mfa/verify': 'sign-in: single-use token, the auth suite\'s',
  'POST /v1/auth/refresh': 'sign-in: token rotation, the auth suite\'s',
  'POST /v1/auth/invitations/accept': 'sign-in: single-use token, the auth suite\'s',
  'POST /v1/auth/logout': 'ends the caller\'s own session: every call ends it',
  'POST /v1/auth/password': 'the caller\'s own password: the auth suite\'s',
  'POST /v1/auth/switch': 'ends the caller\'s own session: raced in test/memberships.e2e.ts (one switch wins)',
  'POST /v1/access-decisions': 'a question about the present, no state changed (never replayed, R-ART36)',
  'POST /v1/connection-events': 'journal ingestion: deduplicated by eventId (the journal suite\'s)',
  'POST /v1/connection-exports': 'creation without a path id: each export is a new request of its own',
  'POST /v1/connection-events/purge': 'retention: deletes what is past its date, the same answer however often',
  'POST /v1/documents': 'creation without a path id: each upload is a new version',
  'POST /v1/contractors': 'creation without a path id (a SIRET is unique per establishment)',
  'POST /v1/users': 'creation without a path id (an e-mail is unique)',
  'POST /v1/reviews': 'creation without a path id (one open campaign per company)',
  'POST /v1/derogations': 'creation without a path id: each derogation is a document of its own',
  'POST /v1/api-keys': 'creation without a path id: each key is new',
  'POST /v1/webhooks': 'creation without a path id: each subscription is new',
  'POST /v1/interventions': 'creation without a path id: each window is a request of its own',
  'POST /v1/resources': 'creation without a path id (a name is unique per establishment)',
  'POST /v1/incidents': 'creation without a path id: each report is an incident of its own (the account it suspends is locked first)',
  'POST /v1/tenants': 'creation without a path id, by the platform operator',
  'PATCH /v1/tenant/policy': 'the caller\'s own establishment, no path id: the last setting wins',
  'PUT /v1/me/locale': 'the caller\'s own language, no path id: the last setting wins',
  'PUT /v1/directory/connector': 'the caller\'s own establishment, no path id: the last setting wins (R-PROV)',
  'POST /v1/directory/connector/test': 'a question to the directory: nothing stored',
  'POST /v1/directory/reconcile': 'compares the directory with the accounts: the same drift found however often (the directory suite\'s)',
  'POST /v1/auth/sso/start': 'sign-in: each call opens its own pending sign-in (single-use state, the SSO suite\'s)',
  'POST /v1/auth/sso/exchange': 'sign-in: single-use ticket taken by a conditional delete, raced in the SSO suite (R-SSO)',
  'PUT /v1/sso': 'the caller\'s own establishment, no path id: the last setting wins, under a lock taken before the read (R-SSO)',
  'POST /v1/sso/test': 'a question to the OpenID issuer: nothing stored',
};

/** Why an operation is or is not exercised; undefined when nobody classified it. */
export function classification(op: Operation): string | undefined {
  if (SCENARIOS[op.label]) return `burst (${SCENARIOS[op.label].mode})`;
  if (op.method === 'get') return READ;
  return NOT_APPLICABLE[op.label];
}

/** The same request every time: the body is computed once, and a multipart upload carries the same bytes. */
function requestOf(sw: SecurityWorld, op: Operation, shot: Shot, key?: string) {
  const body = shot.body ?? (op.body ? exampleOf(op.body.schema, '', sw.references, sw.ctx.clock.now()) : undefined);
  const file = pdf(`burst-${op.label}-${JSON.stringify(shot.path)}`);
  return () => {
    let req = sw.ctx.http[op.method](fillPath(op.path, shot.path)).set(shot.as ?? sw.authorizedFor(op).headers);
    if (key) req = req.set('Idempotency-Key', key);
    if (op.body && isMultipart(op)) {
      for (const [k, v] of Object.entries((body ?? {}) as Record<string, unknown>)) if (k !== 'file') req = req.field(k, String(v));
      return req.attach('file', file, { filename: 'signed.pdf', contentType: 'application/pdf' });
    }
    return body === undefined ? req : req.send(body as object);
  };
}

interface Marks {
  /** The last audit sequence number of every chain (one per establishment). */
  seqs: Record<string, string>;
  at: Date;
}

async function marks(sw: SecurityWorld): Promise<Marks> {
  const [row] = await sw.ctx.query<{ seqs: Record<string, string> | null; at: Date }>(
    `SELECT (SELECT jsonb_object_agg(chain_key, seq) FROM (SELECT chain_key, max(seq) AS seq FROM audit_events GROUP BY chain_key) c) AS seqs, clock_timestamp() AS at`,
  );
  return { seqs: row.seqs ?? {}, at: row.at };
}

/** What the burst wrote: audit events and outbox rows, each at most once (one per recipient). */
async function written(sw: SecurityWorld, before: Marks): Promise<{ problems: string[]; actions: string[] }> {
  const audit = await sw.ctx.query<{ action: string; target_id: string; tenant_id: string | null }>(
    `SELECT action, target_id, tenant_id FROM audit_events WHERE seq > coalesce(($1::jsonb ->> chain_key::text)::bigint, 0) ORDER BY chain_key, seq`,
    [JSON.stringify(before.seqs)],
  );
  const outbox = await sw.ctx.query<{ job: string; payload: string }>(`SELECT job, payload::text FROM outbox WHERE created_at >= $1`, [before.at]);
  const twice = <T>(rows: T[], key: (r: T) => string) => {
    const seen = new Map<string, number>();
    for (const r of rows) seen.set(key(r), (seen.get(key(r)) ?? 0) + 1);
    return [...seen].filter(([, n]) => n > 1).map(([k, n]) => `${n} x ${k}`);
  };
  const problems = [...twice(audit, (e) => `audit ${e.action} on ${e.target_id} in the trail of ${e.tenant_id ?? 'the platform'}`), ...twice(outbox, (r) => `outbox ${r.job} ${r.payload.slice(0, 200)}`)];
  return { problems, actions: audit.map((e) => e.action) };
}

const isProblem = (res: Response) => String(res.headers['content-type']).includes('application/problem+json');
const brief = (res: Response) => `${res.status} ${res.body?.code ?? ''} ${res.body?.detail ?? ''}`.trim();

/** Checks of a loser's answer: 409 problem+json carrying the state it found. */
function loserFlaw(res: Response, expected: number): string | undefined {
  if (res.status !== expected || !isProblem(res)) return `a loser answered ${brief(res)}, expected a ${expected} problem+json`;
  if (expected === 409 && typeof res.body.currentStatus !== 'string') return `a 409 without currentStatus: ${brief(res)}`;
  return undefined;
}

/** The object as a read shows it now: the answer itself, or its entry in a page. */
async function stateOf(sw: SecurityWorld, shot: Shot): Promise<Record<string, unknown> | undefined> {
  const { body } = await sw.ctx.http.get(shot.read!.path).set(sw.world.dsi.auth);
  return body.id === shot.path.id ? body : body.items?.find((i: { id: string }) => i.id === shot.path.id);
}

async function readBack(sw: SecurityWorld, shot: Shot, winner: Response): Promise<string | undefined> {
  if (!shot.read) return undefined;
  const now = (await stateOf(sw, shot))?.[shot.read.field];
  return now === winner.body[shot.read.field] ? undefined : `the winner answered ${shot.read.field} ${winner.body[shot.read.field]}, the state is ${now}`;
}

/** BURST identical requests in parallel; the problems found (none when the operation holds under concurrency). */
export async function burst(sw: SecurityWorld, op: Operation, scenario: Scenario, shot: Shot): Promise<string[]> {
  const key = scenario.mode === 'create' ? `burst-${Date.now()}-${Math.random()}` : undefined;
  const send = requestOf(sw, op, shot, key);
  const before = await marks(sw);
  const answers = await Promise.all(Array.from({ length: BURST }, () => send()));
  const problems = answers.filter((r) => r.status >= 500).map((r) => `answered ${brief(r)}`);
  const winners = answers.filter((r) => r.status < 300);
  const losers = answers.filter((r) => r.status >= 300);
  if (scenario.mode === 'transition') {
    if (winners.length !== 1) problems.push(`${winners.length} requests won: ${answers.map(brief).join(' | ')}`);
    problems.push(...losers.map((r) => loserFlaw(r, 409)).filter((p): p is string => !!p));
  } else if (scenario.mode === 'set') {
    if (winners.length !== BURST) problems.push(`an identical replacement was refused: ${losers.map(brief).join(' | ')}`);
    if (new Set(winners.map((r) => JSON.stringify(r.body))).size > 1) problems.push('identical replacements answered differently');
  } else {
    const ids = new Set(winners.map((r) => JSON.stringify(r.body?.id ?? r.body)));
    if (!winners.length || ids.size !== 1) problems.push(`${ids.size} different objects created: ${answers.map(brief).join(' | ')}`);
    // A retry while the first is running is a 409 (Idempotency-Key in use); the others replay the first answer.
    problems.push(...losers.filter((r) => r.status !== 409 || !isProblem(r)).map((r) => `a retry answered ${brief(r)}`));
  }
  const wrote = await written(sw, before);
  problems.push(...wrote.problems);
  if (winners.length && !wrote.actions.length) problems.push('a change with no audit event');
  if (winners.length === 1) {
    const mismatch = await readBack(sw, shot, winners[0]);
    if (mismatch) problems.push(mismatch);
  }
  return problems;
}

/** Half the burst of each operation of the pair, interleaved: one consistent winner (or, for `actions`, one event per win). */
export async function race(sw: SecurityWorld, ops: [Operation, Operation], pair: Pair, shots: { a: Shot; b: Shot }): Promise<string[]> {
  const sends = [requestOf(sw, ops[0], shots.a), requestOf(sw, ops[1], shots.b)];
  const before = await marks(sw);
  const answers = await Promise.all(Array.from({ length: BURST }, (_, i) => sends[i % 2]()));
  const problems = answers.filter((r) => r.status >= 500).map((r) => `answered ${brief(r)}`);
  const winners = answers.filter((r) => r.status < 300);
  problems.push(...answers.filter((r) => r.status >= 300).map((r) => loserFlaw(r, 409)).filter((p): p is string => !!p));
  const wrote = await written(sw, before);
  if (pair.actions) {
    const events = wrote.actions.filter((a) => pair.actions!.includes(a)).length;
    const aWins = answers.filter((r, i) => i % 2 === 0 && r.status < 300).length;
    const changes = pair.aSetsOneValue ? winners.length - aWins + Math.min(aWins, 1) : winners.length;
    if (events !== changes) problems.push(`${winners.length} wins (${changes} changes) but ${events} audit events (${pair.actions.join(', ')})`);
  } else {
    if (winners.length !== 1) problems.push(`${winners.length} requests won: ${answers.map(brief).join(' | ')}`);
    problems.push(...wrote.problems);
  }
  const read = shots.a.read ?? shots.b.read;
  if (read && winners.length) {
    const found = await stateOf(sw, shots.a.read ? shots.a : shots.b);
    const answered = winners.map((w) => w.body[read.field]).filter((v) => v !== undefined);
    if (answered.length && !answered.includes(found?.[read.field])) problems.push(`winners answered ${read.field} ${answered.join(', ')}, the state is ${found?.[read.field]}`);
  }
  return problems;
}
