/** One line of the evidence table (CSV and printable summary alike). */
export interface EvidenceRow {
  company: string;
  person: string;
  email: string;
  item: string;
  resource: string;
  accessType: string;
  levelBefore: string;
  decision: string;
  levelAfter: string;
  attestedBy: string;
  attestedAt: string;
  overriddenByRssi: string;
  certifiedBy: string;
  certifiedAt: string;
  sinceLastCampaign: string;
  lastUsedAt: string;
}

export interface EvidencePerson {
  name: string;
  email: string;
}

/** Everything the printable summary shows; built by ReviewEvidence.summary, rendered by renderEvidenceHtml. */
export interface EvidenceSummary {
  establishment: string;
  timeZone: string;
  generatedAt: string;
  campaign: {
    id: string;
    contractor: string;
    periodStart: string;
    openedAt: string;
    dueOn: string;
    submittedAt: string | null;
    submittedBy: EvidencePerson | null;
    certifiedAt: string;
    certifiedBy: EvidencePerson | null;
  };
  rows: EvidenceRow[];
  /** The certified campaign this one is compared with (null: the first review of this contractor). */
  previous: { id: string; certifiedAt: string } | null;
  /** People and habilitations of the previous campaign that are no longer in this one. */
  goneSinceLast: { person: string; email: string; item: string; resource: string; level: string }[];
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Every value reaching the page goes through here: names and labels typed by people are never markup. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

const DECISION: Record<string, string> = { keep: 'Maintenu', change: 'Niveau modifié', remove: 'Retiré' };
const ITEM: Record<string, string> = { account: 'Compte', habilitation: 'Habilitation', addition: 'Personne ajoutée' };
const LEVEL: Record<string, string> = { read: 'lecture', operate: 'exploitation', admin: 'administration' };
const ACCESS: Record<string, string> = { remote: 'à distance', onsite: 'sur site' };
const SINCE: Record<string, string> = { new: 'nouveau', changed: 'modifié', unchanged: 'inchangé' };

const label = (map: Record<string, string>, value: string) => (value ? map[value] ?? value : '—');

/** YYYY-MM-DD as a French date (23/11/2026). */
function frDate(date: string): string {
  const [y, m, d] = date.slice(0, 10).split('-');
  return `${d}/${m}/${y}`;
}

function frInstant(iso: string | null, timeZone: string): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat('fr-FR', { timeZone, dateStyle: 'long', timeStyle: 'short' }).format(new Date(iso));
}

const person = (p: EvidencePerson | null) => (p ? `${escapeHtml(p.name)} &lt;${escapeHtml(p.email)}&gt;` : '—');

const STYLE = `
  body { font: 10.5pt/1.4 "Helvetica Neue", Arial, sans-serif; color: #111; margin: 24px; }
  h1 { font-size: 16pt; margin: 0 0 4px; } h2 { font-size: 12pt; margin: 20px 0 6px; border-bottom: 1px solid #999; }
  .sub { color: #444; margin: 0 0 12px; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; } dt { font-weight: bold; } dd { margin: 0; }
  table { border-collapse: collapse; width: 100%; font-size: 9pt; } th, td { border: 1px solid #999; padding: 3px 5px; text-align: left; vertical-align: top; }
  th { background: #eee; } tr.remove td { background: #fbeaea; } tr.change td { background: #fff6e0; }
  .figures { display: flex; gap: 12px; flex-wrap: wrap; } .figures div { border: 1px solid #999; padding: 4px 10px; }
  .note { color: #444; font-size: 9pt; } footer { margin-top: 24px; color: #444; font-size: 8.5pt; }
  @page { size: A4 landscape; margin: 12mm; }
  @media print { body { margin: 0; } thead { display: table-header-group; } tr { page-break-inside: avoid; } h2 { page-break-after: avoid; } }
`;

function figures(rows: EvidenceRow[]): string {
  const count = (f: (r: EvidenceRow) => boolean) => rows.filter(f).length;
  const people = count((r) => r.item !== 'habilitation');
  const list: [string, number][] = [
    ['Personnes', people],
    ['Habilitations', count((r) => r.item === 'habilitation')],
    ['Maintenus', count((r) => r.decision === 'keep')],
    ['Niveaux modifiés', count((r) => r.decision === 'change')],
    ['Retirés', count((r) => r.decision === 'remove')],
    ['Décisions corrigées par le RSSI', count((r) => r.overriddenByRssi === 'yes')],
    ['Comptes inutilisés sur la période', count((r) => r.item === 'account' && !r.lastUsedAt)],
  ];
  return `<div class="figures">${list.map(([k, v]) => `<div><strong>${v}</strong> ${escapeHtml(k)}</div>`).join('')}</div>`;
}

function table(rows: EvidenceRow[], timeZone: string): string {
  const head = ['Société', 'Personne', 'E-mail', 'Élément', 'Ressource', 'Accès', 'Niveau avant', 'Décision', 'Niveau après', 'Attesté par', 'Le',
    'Corrigé par le RSSI', 'Depuis la dernière revue', 'Dernière utilisation'];
  const body = rows.map((r) => `<tr class="${escapeHtml(r.decision)}">${[
    r.company, r.person, r.email, label(ITEM, r.item), r.resource || '—', label(ACCESS, r.accessType), label(LEVEL, r.levelBefore),
    label(DECISION, r.decision), label(LEVEL, r.levelAfter), r.attestedBy || '—', frInstant(r.attestedAt || null, timeZone),
    r.overriddenByRssi === 'yes' ? 'oui' : 'non', label(SINCE, r.sinceLastCampaign), r.lastUsedAt ? frInstant(r.lastUsedAt, timeZone) : 'jamais',
  ].map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function changes(s: EvidenceSummary): string {
  if (!s.previous) return '<p>Première revue de ce prestataire : aucune campagne certifiée antérieure à comparer.</p>';
  const changed = s.rows.filter((r) => r.sinceLastCampaign !== 'unchanged');
  const intro = `<p>Comparaison avec la campagne certifiée le ${escapeHtml(frInstant(s.previous.certifiedAt, s.timeZone))} ` +
    `(${escapeHtml(s.previous.id)}).</p>`;
  const added = changed.length
    ? `<ul>${changed.map((r) => `<li>${escapeHtml(label(SINCE, r.sinceLastCampaign))} : ${escapeHtml(r.person)} — ${escapeHtml(label(ITEM, r.item))}` +
      `${r.resource ? ` ${escapeHtml(r.resource)} (${escapeHtml(label(LEVEL, r.levelBefore))})` : ''}</li>`).join('')}</ul>`
    : '<p>Aucune personne ni habilitation nouvelle ou modifiée.</p>';
  const gone = s.goneSinceLast.length
    ? `<p>Plus présents depuis la dernière revue :</p><ul>${s.goneSinceLast.map((g) => `<li>${escapeHtml(g.person)} &lt;${escapeHtml(g.email)}&gt; — ` +
      `${escapeHtml(label(ITEM, g.item))}${g.resource ? ` ${escapeHtml(g.resource)} (${escapeHtml(label(LEVEL, g.level))})` : ''}</li>`).join('')}</ul>`
    : '<p>Personne n\'a disparu de la liste depuis la dernière revue.</p>';
  return intro + added + gone;
}

function unused(s: EvidenceSummary): string {
  const rows = s.rows.filter((r) => r.item === 'account' && !r.lastUsedAt);
  if (!rows.length) return '<p>Tous les comptes revus ont été utilisés pendant la période.</p>';
  return `<ul>${rows.map((r) => `<li>${escapeHtml(r.person)} &lt;${escapeHtml(r.email)}&gt; (${escapeHtml(r.company)}) — décision : ` +
    `${escapeHtml(label(DECISION, r.decision))}</li>`).join('')}</ul>`;
}

/**
 * R-ART34 evidence as a self-contained, printable page (HAS certification): no script, no external
 * resource, inline CSS only, every value escaped.
 */
export function renderEvidenceHtml(s: EvidenceSummary): string {
  const c = s.campaign;
  const tz = s.timeZone;
  return `<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>Revue annuelle des accès — ${escapeHtml(c.contractor)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Revue annuelle des accès — ${escapeHtml(c.contractor)}</h1>
<p class="sub">${escapeHtml(s.establishment)} · Charte prestataires, article 34 · Campagne ${escapeHtml(c.id)}</p>
<dl>
  <dt>Prestataire</dt><dd>${escapeHtml(c.contractor)}</dd>
  <dt>Période revue</dt><dd>du ${escapeHtml(frInstant(c.periodStart, tz))} (dernière certification ou première activation) au ${escapeHtml(frInstant(c.certifiedAt, tz))}</dd>
  <dt>Ouverture de la campagne</dt><dd>${escapeHtml(frInstant(c.openedAt, tz))}</dd>
  <dt>Échéance</dt><dd>${escapeHtml(frDate(c.dueOn))}</dd>
  <dt>Attestée par</dt><dd>${person(c.submittedBy)}, le ${escapeHtml(frInstant(c.submittedAt, tz))}</dd>
  <dt>Certifiée par (RSSI)</dt><dd>${person(c.certifiedBy)}, le ${escapeHtml(frInstant(c.certifiedAt, tz))}</dd>
</dl>
<h2>En chiffres</h2>
${figures(s.rows)}
<h2>Personnes, accès et décisions</h2>
${table(s.rows, tz)}
<p class="note">Une personne sans décision à l'échéance n'est jamais maintenue : ses accès sont suspendus (article 34).</p>
<h2>Changements depuis la dernière revue</h2>
${changes(s)}
<h2>Comptes inutilisés</h2>
<p class="note">Aucun accès autorisé ni connexion réussie depuis le début de la période revue.</p>
${unused(s)}
<footer>Document produit par Prestagate le ${escapeHtml(frInstant(s.generatedAt, tz))} (${escapeHtml(tz)}). Les mêmes données existent en CSV et JSON
(GET /v1/reviews/${escapeHtml(c.id)}/evidence?format=csv|json) ; chaque étape est inscrite dans le journal d'audit chaîné.</footer>
</body>
</html>
`;
}
