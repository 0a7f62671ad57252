import { escapeHtml, EvidenceRow, EvidenceSummary, renderEvidenceHtml } from './evidence-html';

const row = (over: Partial<EvidenceRow>): EvidenceRow => ({
  company: 'Medisoft SAS', person: 'Alice Martin', email: 'alice@medisoft.test', item: 'account', resource: '', accessType: '',
  levelBefore: '',
  decision: 'keep', levelAfter: '', attestedBy: 'hugo@medisoft.test', attestedAt: '2026-11-20T09:00:00.000Z', overriddenByRssi: 'no',
  certifiedBy: 'rssi@ch.test', certifiedAt: '2026-11-23T10:00:00.000Z', sinceLastCampaign: 'new', lastUsedAt: '', ...over,
});

const summary = (rows: EvidenceRow[], contractor = 'Medisoft SAS'): EvidenceSummary => ({
  establishment: 'CH du Mans', timeZone: 'Europe/Paris', generatedAt: '2026-11-23T10:05:00.000Z',
  campaign: {
    id: '00000000-0000-4000-8000-000000000001', contractor, periodStart: '2025-11-23T10:00:00.000Z', openedAt: '2026-10-24T10:00:00.000Z',
    dueOn: '2026-11-23', submittedAt: '2026-11-21T10:00:00.000Z', submittedBy: { name: 'Hugo Bernard', email: 'hugo@medisoft.test' },
    attestationStatement: null, certifiedAt: '2026-11-23T10:00:00.000Z', certifiedBy: { name: 'Rita Ssi', email: 'rssi@ch.test' },
  },
  rows, previous: null, goneSinceLast: [],
});

describe('R-ART34 printable evidence (HTML)', () => {
  it('escapes the five HTML metacharacters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(escapeHtml(null)).toBe('');
  });

  it('never lets a name become markup, wherever it appears', () => {
    const evil = '<script>alert(1)</script>';
    const html = renderEvidenceHtml(summary([row({ person: evil, company: evil, email: `"${evil}"@x`, resource: evil,
      item: 'habilitation' })], evil));
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('is French, dated in the tenant time zone, and lists unused accounts', () => {
    const html = renderEvidenceHtml(summary([row({ person: 'Alice Martin' }), row({ person: 'Bruno Petit',
      lastUsedAt: '2026-06-01T08:00:00.000Z' })]));
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('23 novembre 2026 à 11:00'); // 10:00 UTC is 11:00 in Paris in November
    expect(html).toContain('Échéance</dt><dd>23/11/2026');
    const unused = html.slice(html.indexOf('<h2>Comptes inutilisés</h2>'));
    expect(unused).toContain('Alice Martin');
    expect(unused).not.toContain('Bruno Petit');
  });
});
