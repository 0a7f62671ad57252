import { AnomalyCandidate, describeAnomaly, localTime } from './anomalies';

describe('R-ART41 anomaly texts', () => {
  const base: AnomalyCandidate = {
    kind: 'outside_window', eventId: '00000000-0000-4000-8000-000000000001', gatewayEventId: 'g-1',
    startedAt: new Date('2026-03-14T21:05:00Z'), outcome: 'success', accountRef: 'jean.martin@biomed.test',
    accountId: '00000000-0000-4000-8000-000000000002', contractorId: null, resourceRef: 'pacs-01',
    resourceId: '00000000-0000-4000-8000-000000000003', person: 'Jean Martin', resourceName: 'PACS', inactive: null,
    inactiveSince: null, failures: null, burstFrom: null,
  };
  const tz = 'Europe/Paris';

  it('writes local times of the tenant', () => {
    expect(localTime(new Date('2026-03-14T21:05:00Z'), tz)).toBe('2026-03-14 22:05');
    expect(localTime(new Date('2026-07-01T23:30:00Z'), tz)).toBe('2026-07-02 01:30');
  });

  it('says who, where, when and which rule', () => {
    expect(describeAnomaly(base, tz)).toBe(
      'Connexion hors fenêtre approuvée : Jean Martin (jean.martin@biomed.test) sur « PACS » le 2026-03-14 22:05 (Europe/Paris), ' +
      'sans intervention approuvée nommant ce compte et cette ressource à cet instant (article 36).',
    );
    expect(describeAnomaly({ ...base, kind: 'out_of_scope', resourceId: null, resourceName: null }, tz))
      .toContain("« pacs-01 » le 2026-03-14 22:05 (Europe/Paris) ; cette ressource n'est pas au catalogue");
    expect(describeAnomaly({ ...base, kind: 'unknown_account', person: null, accountId: null, outcome: 'failure' }, tz))
      .toMatch(/^Compte inconnu : tentative de connexion refusée de « jean\.martin@biomed\.test » sur « PACS »/);
  });

  it('tells suspended, deactivated and not yet active accounts apart', () => {
    const since = new Date('2026-03-01T08:00:00Z');
    const inactive = { ...base, kind: 'inactive_account' as const };
    expect(describeAnomaly({ ...inactive, inactive: 'suspended', inactiveSince: since }, tz))
      .toContain('suspendu depuis le 2026-03-01 09:00');
    expect(describeAnomaly({ ...inactive, inactive: 'deactivated', inactiveSince: since }, tz))
      .toContain('désactivé depuis le 2026-03-01 09:00');
    expect(describeAnomaly({ ...inactive, inactive: 'not_active' }, tz)).toContain("alors que le compte n'était pas encore activé");
  });

  it('describes a burst by its count and span', () => {
    const burst = { ...base, kind: 'failed_login_burst' as const, outcome: 'failure' as const, failures: 6 };
    const text = describeAnomaly({ ...burst, burstFrom: new Date('2026-03-14T21:00:00Z') }, tz);
    expect(text).toBe("Rafale d'échecs de connexion : 6 échecs pour Jean Martin (jean.martin@biomed.test) en 10 minutes au plus, " +
      'du 2026-03-14 22:00 au 2026-03-14 22:05 (Europe/Paris), dernier sur « PACS ».');
  });
});
