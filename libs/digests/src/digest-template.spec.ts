import { renderMail, TemplateData } from '@app/notifications';

const digest: TemplateData['weekly-digest'] = {
  tenant: 'CH du Mans', week: '2026-W48', today: '2026-11-23',
  pending: { accounts: 2, habilitations: 1, signatures: 0, interventions: 3 },
  overdueReports: {
    count: 12,
    items: Array.from({ length: 10 }, (_, i) => ({ contractor: `Société ${i}`, nature: 'Maintenance', dueOn: '2026-11-20', daysLate: 3 })),
  },
  overdueReviews: { count: 1, items: [{ contractor: 'Medisoft SAS', dueOn: '2026-11-01', daysLate: 22, undecided: 4 }] },
  anomalies: { count: 3, byKind: [{ kind: 'outside_window', count: 2 }, { kind: 'unknown_account', count: 1 }] },
  gatesClosingSoon: { count: 0, items: [] },
  heads: [{ chain: 'audit', seq: 309, hash: 'a'.repeat(64) }, { chain: 'journal', seq: 12, hash: 'b'.repeat(64) }],
};

describe('R-DIG weekly digest template', () => {
  it('is French by default, with complete counts and shortened lists', () => {
    const mail = renderMail('weekly-digest', 'fr', digest);
    expect(mail.subject).toBe('Synthèse hebdomadaire 2026-W48 : CH du Mans');
    expect(mail.text).toContain('Approbations en attente : 6');
    expect(mail.text).toContain("Comptes rendus d'intervention en retard : 12");
    expect(mail.text).toContain('… et 2 autre(s)');
    expect(mail.text).toContain("hors de toute fenêtre d'intervention approuvée : 2");
    expect(mail.text).toContain('Medisoft SAS : échéance 2026-11-01 (22 jour(s) de retard), 4 décision(s) manquante(s)');
  });

  it('R-INT carries the heads of the audit trail and of the connection journal', () => {
    expect(renderMail('weekly-digest', 'fr', digest).text).toContain(`journal d'audit : n° 309, ${'a'.repeat(64)}`);
    expect(renderMail('weekly-digest', 'en', digest).text).toContain(`connection journal: #12, ${'b'.repeat(64)}`);
  });

  it('exists in English', () => {
    const mail = renderMail('weekly-digest', 'en', digest);
    expect(mail.subject).toBe('Weekly digest 2026-W48: CH du Mans');
    expect(mail.text).toContain('Pending approvals: 6');
    expect(mail.text).toContain('… and 2 more');
    expect(mail.text).toContain('Overdue annual access reviews: 1');
  });
});
