import { SignatureFacts, signatureInForce, VersionFacts } from './signature-in-force';

const v1: VersionFacts = {
  id: 'v1', versionLabel: '1.0', effectiveOn: '2026-01-01', createdAt: '2026-01-01T08:00:00Z', resignDeadline: null,
};
const v2: VersionFacts = {
  id: 'v2', versionLabel: '2.0', effectiveOn: '2026-06-01', createdAt: '2026-05-01T08:00:00Z', resignDeadline: '2026-06-30',
};
const v3: VersionFacts = {
  id: 'v3', versionLabel: '3.0', effectiveOn: '2026-09-01', createdAt: '2026-08-01T08:00:00Z', resignDeadline: null,
};

const signed = (v: VersionFacts, status: SignatureFacts['status'], rejectReason: string | null = null): SignatureFacts => ({
  documentId: v.id, status, rejectReason, effectiveOn: v.effectiveOn, createdAt: v.createdAt, versionLabel: v.versionLabel,
});

describe('R-ART2 the signature in force', () => {
  it('R-ART2 nothing published: NOT_PUBLISHED', () => {
    expect(signatureInForce(null, [signed(v1, 'validated')], '2026-06-10')).toEqual({ problem: 'NOT_PUBLISHED', signature: null });
  });

  it('R-ART2 a validated signature of the version in force holds, whatever came after it', () => {
    const ok = signed(v2, 'validated');
    expect(signatureInForce(v2, [signed(v2, 'rejected', 'late'), ok], '2026-07-10')).toEqual({ problem: null, signature: ok });
  });

  it('R-ART2 never signed: NOT_SIGNED', () => {
    expect(signatureInForce(v2, [], '2026-06-10')).toEqual({ problem: 'NOT_SIGNED', signature: null });
  });

  it('R-ART2 a new version replaces the old one only once validated: until its deadline the superseded signature holds', () => {
    const old = signed(v1, 'validated');
    const pending = signed(v2, 'submitted');
    expect(signatureInForce(v2, [pending, old], '2026-06-30')).toEqual({ problem: null, signature: old });
    expect(signatureInForce(v2, [signed(v2, 'rejected', 'unsigned page'), old], '2026-06-10')).toEqual({ problem: null, signature: old });
  });

  it('R-ART2 a new version without a deadline does not require signing again', () => {
    const old = signed(v2, 'validated');
    expect(signatureInForce(v3, [old], '2027-01-01')).toEqual({ problem: null, signature: old });
  });

  it('R-ART2 after the deadline, a superseded signature alone is RESIGN_OVERDUE and names that version', () => {
    const old = signed(v1, 'validated');
    expect(signatureInForce(v2, [old], '2026-07-01')).toEqual({ problem: 'RESIGN_OVERDUE', signature: old });
  });

  it('R-ART2 after the deadline, the new version\'s own signature speaks first: waiting or rejected', () => {
    const old = signed(v1, 'validated');
    const pending = signed(v2, 'submitted');
    const rejected = signed(v2, 'rejected', 'page 3 not initialled');
    expect(signatureInForce(v2, [pending, old], '2026-07-01')).toEqual({ problem: 'PENDING_VALIDATION', signature: pending });
    expect(signatureInForce(v2, [rejected, old], '2026-07-01')).toEqual({ problem: 'REJECTED', signature: rejected });
  });

  it('R-ART2 the newest signature of the version in force decides between waiting and rejected', () => {
    const pending = signed(v2, 'submitted');
    const rejected = signed(v2, 'rejected', 'blurred');
    expect(signatureInForce(v2, [pending, rejected], '2026-06-10').problem).toBe('PENDING_VALIDATION');
    expect(signatureInForce(v2, [rejected, pending], '2026-06-10').problem).toBe('REJECTED');
  });

  it('R-ART2 only a truly earlier version stands in: a later one (not yet in force, or withdrawn) does not', () => {
    expect(signatureInForce(v2, [signed(v3, 'validated')], '2026-06-10')).toEqual({ problem: 'NOT_SIGNED', signature: null });
  });

  it('R-ART2 two versions effective the same day: the one published first is the earlier', () => {
    const morning: VersionFacts = { ...v2, id: 'm', createdAt: '2026-05-01T07:00:00Z', resignDeadline: null };
    const evening: VersionFacts = { ...v2, id: 'e', createdAt: '2026-05-01T19:00:00Z', resignDeadline: null };
    expect(signatureInForce(evening, [signed(morning, 'validated')], '2026-06-10').problem).toBeNull();
    expect(signatureInForce(morning, [signed(evening, 'validated')], '2026-06-10').problem).toBe('NOT_SIGNED');
  });

  it('R-ART2 a superseded signature that was rejected or waits does not stand in', () => {
    expect(signatureInForce(v2, [signed(v1, 'submitted'), signed(v1, 'rejected', 'x')], '2026-06-10').problem).toBe('NOT_SIGNED');
  });
});
