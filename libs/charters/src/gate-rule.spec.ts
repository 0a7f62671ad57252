import { GateFacts, missingOf } from './gate-rule';
import { SignatureFacts, VersionFacts } from './signature-in-force';

const TODAY = '2026-06-10';
const version = (id: string, versionLabel: string, effectiveOn: string): VersionFacts => ({
  id, versionLabel, effectiveOn, createdAt: `${effectiveOn}T08:00:00Z`, resignDeadline: null,
});
const charter = version('c2', 'v2.0', '2026-06-01');
const rgpd = version('r1', 'r1', '2026-01-01');
const ALL_CONTACTS = ['legal_rep', 'security_contact', 'security_deputy'] as const;
const sign = (v: VersionFacts, status: SignatureFacts['status'] = 'validated'): SignatureFacts => ({
  documentId: v.id, status, rejectReason: status === 'rejected' ? 'Page 3 is not initialled' : null, effectiveOn: v.effectiveOn,
  createdAt: v.createdAt, versionLabel: v.versionLabel,
});
const running = (requireRgpdClauses = false) => ({
  contractorId: 'a', accessMode: 'remote' as const, requireRgpdClauses, requireSecurityReferential: false,
});

function facts(over: Partial<GateFacts> = {}): GateFacts {
  return {
    standings: new Map([['a', { contactRoles: [...ALL_CONTACTS], running: [running()] }]]),
    current: new Map([['charter', charter]]),
    signatures: new Map([['a|charter', [sign(charter)]]]),
    ...over,
  };
}

describe('R-ART2 R-ART3 the gate of a company (its pure rule)', () => {
  it('R-ART2 open: contacts declared, a prestation running, the charter signed and validated in its version in force', () => {
    expect(missingOf(facts(), 'a', TODAY)).toEqual([]);
  });

  it('R-ART2 R-ART3 a company nobody declared anything for lists everything missing, in order', () => {
    const codes = missingOf(facts({ standings: new Map(), signatures: new Map() }), 'a', TODAY).map((m) => m.code);
    expect(codes).toEqual(['CONTACTS_MISSING', 'NO_RUNNING_PRESTATION', 'CHARTER_NOT_SIGNED']);
  });

  it('R-ART3 names the contacts not declared', () => {
    const standings = new Map([['a', { contactRoles: ['legal_rep' as const], running: [running()] }]]);
    expect(missingOf(facts({ standings }), 'a', TODAY)).toEqual([
      { code: 'CONTACTS_MISSING', detail: 'Not declared: security contact, security deputy (Art. 3)' },
    ]);
  });

  it('R-ART2 a charter not published, waiting, rejected', () => {
    expect(missingOf(facts({ current: new Map() }), 'a', TODAY).map((m) => m.code)).toEqual(['CHARTER_NOT_PUBLISHED']);
    const waiting = facts({ signatures: new Map([['a|charter', [sign(charter, 'submitted')]]]) });
    expect(missingOf(waiting, 'a', TODAY).map((m) => m.code)).toEqual(['CHARTER_PENDING_VALIDATION']);
    const rejected = facts({ signatures: new Map([['a|charter', [sign(charter, 'rejected')]]]) });
    expect(missingOf(rejected, 'a', TODAY)).toEqual([
      {
        code: 'CHARTER_REJECTED',
        detail: 'The signed copy of the contractor charter (version v2.0) was rejected: Page 3 is not initialled',
      },
    ]);
  });

  it('R-ART2 the RGPD clauses count only when a running prestation requires them', () => {
    const standings = new Map([['a', { contactRoles: [...ALL_CONTACTS], running: [running(true)] }]]);
    const required = facts({ standings, current: new Map([['charter', charter], ['rgpd_clauses', rgpd]]) });
    expect(missingOf(required, 'a', TODAY).map((m) => m.code)).toEqual(['RGPD_CLAUSES_NOT_SIGNED']);
    required.signatures.set('a|rgpd_clauses', [sign(rgpd)]);
    expect(missingOf(required, 'a', TODAY)).toEqual([]);
  });

  it('R-ART2 a superseded charter past the new version\'s deadline: RESIGN_OVERDUE naming both versions', () => {
    const v3: VersionFacts = { ...charter, id: 'c3', versionLabel: 'v3.0', effectiveOn: '2026-06-05', resignDeadline: '2026-06-09' };
    const [problem] = missingOf(facts({ current: new Map([['charter', v3]]) }), 'a', TODAY);
    expect(problem).toEqual({
      code: 'CHARTER_RESIGN_OVERDUE',
      detail: 'Version v3.0 of the contractor charter had to be signed by 2026-06-09; only version v2.0 is signed',
    });
  });
});
