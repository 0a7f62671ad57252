import { html, raw } from 'hono/html';
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
    attestationStatement: string | null;
    certifiedAt: string;
    certifiedBy: EvidencePerson | null;
  };
  rows: EvidenceRow[];
  /** The certified campaign this one is compared with (null: the first review of this contractor). */
  previous: { id: string; certifiedAt: string } | null;
  /** People and habilitations of the previous campaign that are no longer in this one. */
  goneSinceLast: { person: string; email: string; item: string; resource: string; level: string }[];
}

/** hono's `html` escapes every value it interpolates; only nested `html` fragments and `raw()` pass as markup. */
type Html = ReturnType<typeof raw>;

/** A synchronous fragment (no value here is a promise). */
function page(strings: TemplateStringsArray, ...values: unknown[]): Html {
  const fragment = html(strings, ...values);
  if (fragment instanceof Promise) throw new Error('evidence-html: asynchronous fragment');
  return fragment;
}

/** The same escaping as every interpolation of `page`, for the odd value outside a template (tests, attributes). */
export function escapeHtml(value: unknown): string {
  return String(page`${value ?? ''}`);
}

const DECISION: Record<string, string> = { keep: 'Maintenu', change: 'Niveau modifié', remove: 'Retiré' };
/** The French words of the evidence's values (the printable page and the CSV). */
export const ITEM: Record<string, string> = { account: 'Compte', habilitation: 'Habilitation', addition: 'Personne ajoutée' };
export const LEVEL: Record<string, string> = { read: 'lecture', operate: 'exploitation', admin: 'administration' };
export const ACCESS: Record<string, string> = { remote: 'à distance', onsite: 'sur site' };
export const SINCE: Record<string, string> = { new: 'nouveau', changed: 'modifié', unchanged: 'inchangé' };

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

const person = (p: EvidencePerson | null) => (p ? page`${p.name} &lt;${p.email}&gt;` : '—');

const STYLE = `
  body { font: 10.5pt/1.4 "Helvetica Neue", Arial, sans-serif; color: #111; margin: 24px; }
  h1 { font-size: 16pt; margin: 0 0 4px; } h2 { font-size: 12pt; margin: 20px 0 6px; border-bottom: 1px solid #999; }
  .sub { color: #444; margin: 0 0 12px; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; } dt { font-weight: bold; } dd { margin: 0; }
  table { border-collapse: collapse; width: 100%; font-size: 9pt; }
  th, td { border: 1px solid #999; padding: 3px 5px; text-align: left; vertical-align: top; }
  th { background: #eee; } tr.remove td { background: #fbeaea; } tr.change td { background: #fff6e0; }
  .figures { display: flex; gap: 12px; flex-wrap: wrap; } .figures div { border: 1px solid #999; padding: 4px 10px; }
  .note { color: #444; font-size: 9pt; } footer { margin-top: 24px; color: #444; font-size: 8.5pt; }
  @page { size: A4 landscape; margin: 12mm; }
  @media print {
    body { margin: 0; } thead { display: table-header-group; } tr { page-break-inside: avoid; } h2 { page-break-after: avoid; }
  }
`;

function figures(rows: EvidenceRow[]): Html {
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
  return page`<div class="figures">${list.map(([k, v]) => page`<div><strong>${v}</strong> ${k}</div>`)}</div>`;
}

function table(rows: EvidenceRow[], timeZone: string): Html {
  const head = ['Société', 'Personne', 'E-mail', 'Élément', 'Ressource', 'Accès', 'Niveau avant', 'Décision', 'Niveau après',
    'Attesté par', 'Le',
    'Corrigé par le RSSI', 'Depuis la dernière revue', 'Dernière utilisation'];
  const cells = (r: EvidenceRow) => [
    r.company, r.person, r.email, label(ITEM, r.item), r.resource || '—', label(ACCESS, r.accessType), label(LEVEL, r.levelBefore),
    label(DECISION, r.decision), label(LEVEL, r.levelAfter), r.attestedBy || '—', frInstant(r.attestedAt || null, timeZone),
    r.overriddenByRssi === 'yes' ? 'oui' : 'non', label(SINCE, r.sinceLastCampaign), r.lastUsedAt ? frInstant(r.lastUsedAt,
      timeZone) : 'jamais',
  ];
  const body = rows.map((r, i) => page`${i ? '\n' : ''}<tr class="${r.decision}">${cells(r).map((cell) => page`<td>${cell}</td>`)}</tr>`);
  return page`<table><thead><tr>${head.map((h) => page`<th>${h}</th>`)}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function changes(s: EvidenceSummary): Html {
  if (!s.previous) return page`<p>Première revue de ce prestataire : aucune campagne certifiée antérieure à comparer.</p>`;
  const changed = s.rows.filter((r) => r.sinceLastCampaign !== 'unchanged');
  const intro = page`<p>Comparaison avec la campagne certifiée le ${frInstant(s.previous.certifiedAt, s.timeZone)} (${s.previous.id}).</p>`;
  const added = changed.length
    ? page`<ul>${changed.map((r) => page`<li>${label(SINCE, r.sinceLastCampaign)} : ${r.person} — ${label(ITEM, r.item)}${
      r.resource ? page` ${r.resource} (${label(LEVEL, r.levelBefore)})` : ''}</li>`)}</ul>`
    : page`<p>Aucune personne ni habilitation nouvelle ou modifiée.</p>`;
  const gone = s.goneSinceLast.length
    ? page`<p>Plus présents depuis la dernière revue :</p><ul>${s.goneSinceLast.map((g) => page`<li>${g.person} &lt;${g.email}&gt; — ${
      label(ITEM, g.item)}${g.resource ? page` ${g.resource} (${label(LEVEL, g.level)})` : ''}</li>`)}</ul>`
    : page`<p>Personne n'a disparu de la liste depuis la dernière revue.</p>`;
  return page`${intro}${added}${gone}`;
}

function unused(s: EvidenceSummary): Html {
  const rows = s.rows.filter((r) => r.item === 'account' && !r.lastUsedAt);
  if (!rows.length) return page`<p>Tous les comptes revus ont été utilisés pendant la période.</p>`;
  const line = (r: EvidenceRow) => page`<li>${r.person} &lt;${r.email}&gt; (${r.company}) — décision : ${label(DECISION, r.decision)}</li>`;
  return page`<ul>${rows.map(line)}</ul>`;
}

/**
 * R-ART34 evidence as a self-contained, printable page (HAS certification): no script, no external
 * resource, inline CSS only, every value escaped by the template.
 */
export function renderEvidenceHtml(s: EvidenceSummary): string {
  const c = s.campaign;
  const tz = s.timeZone;
  return String(page`<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>Revue annuelle des accès — ${c.contractor}</title>
<style>${raw(STYLE)}</style>
</head>
<body>
<h1>Revue annuelle des accès — ${c.contractor}</h1>
<p class="sub">${s.establishment} · Charte prestataires, article 34 · Campagne ${c.id}</p>
<dl>
  <dt>Prestataire</dt><dd>${c.contractor}</dd>
  <dt>Période revue</dt><dd>du ${frInstant(c.periodStart,
    tz)} (dernière certification ou première activation) au ${frInstant(c.certifiedAt, tz)}</dd>
  <dt>Ouverture de la campagne</dt><dd>${frInstant(c.openedAt, tz)}</dd>
  <dt>Échéance</dt><dd>${frDate(c.dueOn)}</dd>
  <dt>Attestée par</dt><dd>${person(c.submittedBy)}, le ${frInstant(c.submittedAt, tz)}</dd>
  <dt>Déclaration cochée</dt><dd>${c.attestationStatement ?? '—'}</dd>
  <dt>Certifiée par (RSSI)</dt><dd>${person(c.certifiedBy)}, le ${frInstant(c.certifiedAt, tz)}</dd>
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
<footer>Document produit par Prestagate le ${frInstant(s.generatedAt, tz)} (${tz}). Les mêmes données existent en CSV et JSON
(GET /v1/reviews/${c.id}/evidence?format=csv|json) ; chaque étape est inscrite dans le journal d'audit chaîné.</footer>
</body>
</html>
`);
}
