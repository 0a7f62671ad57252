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

/** Each language: the subject, then lines the text holds (complete counts, shortened lists). */
const EXPECTED = {
  fr: ['Synthèse hebdomadaire 2026-W48 : CH du Mans', 'Approbations en attente : 6', "Comptes rendus d'intervention en retard : 12",
    '… et 2 autre(s)', "hors de toute fenêtre d'intervention approuvée : 2",
    'Medisoft SAS : échéance 2026-11-01 (22 jour(s) de retard), 4 décision(s) manquante(s)'],
  en: ['Weekly digest 2026-W48: CH du Mans', 'Pending approvals: 6', '… and 2 more', 'Overdue annual access reviews: 1'],
};

describe('R-DIG weekly digest template', () => {
  it.each(['fr', 'en'] as const)('is written in %s (French by default), with complete counts and shortened lists', (locale) => {
    const [subject, ...lines] = EXPECTED[locale];
    const mail = renderMail('weekly-digest', locale, digest);
    expect(mail.subject).toBe(subject);
    for (const line of lines) expect(mail.text).toContain(line);
  });

  it('R-INT carries the heads of the audit trail and of the connection journal', () => {
    expect(renderMail('weekly-digest', 'fr', digest).text).toContain(`journal d'audit : n° 309, ${'a'.repeat(64)}`);
    expect(renderMail('weekly-digest', 'en', digest).text).toContain(`connection journal: #12, ${'b'.repeat(64)}`);
  });
});
