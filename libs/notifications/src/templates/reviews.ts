import { ANOMALY_KINDS, TemplateSet } from './types';

type Names = 'review-reminder' | 'review-overdue' | 'weekly-digest';

/** Annual access reviews and the weekly digest. */
export const fr: TemplateSet<Names> = {
  'review-reminder': (d) => ({
    subject: `Revue annuelle des accès à compléter avant le ${d.dueOn} : ${d.contractor}`,
    text: `Bonjour,\n\nLa revue des personnes habilitées de ${d.contractor} (article 34 de la charte) attend encore ${d.undecided} ` +
      `décision(s).\n` +
      `Échéance : ${d.dueOn} (${d.daysLeft} jour(s)). Sans réponse, les accès non confirmés seront suspendus.\n`,
  }),
  'review-overdue': (d) => ({
    subject: `Revue annuelle des accès en retard : ${d.contractor}`,
    text: `Bonjour,\n\nLa revue des personnes habilitées de ${d.contractor} devait être rendue le ${d.dueOn} ; ${d.undecided} ` +
      `décision(s) manquent.\n` +
      `Passé le délai de grâce, les comptes non confirmés seront suspendus automatiquement (article 34).\n`,
  }),
  // R-DIG: one weekly e-mail to the DSI and the RSSI; every count is complete, each list shows its first lines.
  'weekly-digest': (d, link) => {
    const p = d.pending;
    const more = (count: number, shown: number) => (count > shown ? `  … et ${count - shown} autre(s)\n` : '');
    const see = (path: string) => `  → ${link(path)}\n`;
    return {
      subject: `Synthèse hebdomadaire ${d.week} : ${d.tenant}`,
      text: `Bonjour,\n\nVoici la synthèse de la semaine ${d.week} pour ${d.tenant} (situation au ${d.today}).\n\n` +
        `Approbations en attente : ${p.accounts + p.habilitations + p.signatures + p.interventions}\n` +
        `  - comptes demandés : ${p.accounts}\n  - habilitations demandées : ${p.habilitations}\n` +
        `  - signatures à valider : ${p.signatures}\n  - interventions à approuver : ${p.interventions}\n` + see('/approvals') +
        `\nComptes rendus d'intervention en retard : ${d.overdueReports.count}\n` +
        d.overdueReports.items.map((r) => `  - ${r.contractor} : « ${r.nature} », attendu le ${r.dueOn} (${r.daysLate} jour(s) de ` +
          `retard)\n`).join('') +
        more(d.overdueReports.count, d.overdueReports.items.length) + see('/interventions#overdue') +
        `\nRevues annuelles des accès en retard : ${d.overdueReviews.count}\n` +
        d.overdueReviews.items.map((r) => `  - ${r.contractor} : échéance ${r.dueOn} (${r.daysLate} jour(s) de retard), ${r.undecided} ` +
          `décision(s) manquante(s)\n`).join('') +
        more(d.overdueReviews.count, d.overdueReviews.items.length) + see('/reviews') +
        `\nAnomalies du journal des connexions (7 derniers jours) : ${d.anomalies.count}\n` +
        d.anomalies.byKind.map((a) => `  - ${ANOMALY_KINDS.fr[a.kind] ?? a.kind} : ${a.count}\n`).join('') + see('/anomalies') +
        `\nAccès qui se fermeront sous 14 jours faute de nouvelle signature : ${d.gatesClosingSoon.count}\n` +
        d.gatesClosingSoon.items.map((g) => `  - ${g.contractor} : « ${g.document} » ${g.version} à signer avant le ${g.deadline} ` +
          `(${g.daysLeft} jour(s))\n`).join('') +
        more(d.gatesClosingSoon.count, d.gatesClosingSoon.items.length) + see('/contractors') +
        `\nTêtes des chaînes de preuve (à conserver ; une vérification ultérieure doit les retrouver) :\n` +
        d.heads.map((h) => `  - ${h.chain === 'audit' ? "journal d'audit" : 'journal des connexions'} : n° ${h.seq}, ` +
          `${h.hash}\n`).join(''),
    };
  },
};

export const en: TemplateSet<Names> = {
  'review-reminder': (d) => ({
    subject: `Annual access review to complete before ${d.dueOn}: ${d.contractor}`,
    text: `Hello,\n\nThe review of the people authorised for ${d.contractor} (charter article 34) still waits for ${d.undecided} ` +
      `decision(s).\n` +
      `Due on ${d.dueOn} (${d.daysLeft} day(s)). Without an answer, the accesses not confirmed will be suspended.\n`,
  }),
  'review-overdue': (d) => ({
    subject: `Annual access review overdue: ${d.contractor}`,
    text: `Hello,\n\nThe review of the people authorised for ${d.contractor} was due on ${d.dueOn}; ${d.undecided} decision(s) are ` +
      `missing.\n` +
      `After the grace period, the accounts not confirmed are suspended automatically (article 34).\n`,
  }),
  'weekly-digest': (d, link) => {
    const p = d.pending;
    const more = (count: number, shown: number) => (count > shown ? `  … and ${count - shown} more\n` : '');
    const see = (path: string) => `  → ${link(path)}\n`;
    return {
      subject: `Weekly digest ${d.week}: ${d.tenant}`,
      text: `Hello,\n\nHere is the digest of week ${d.week} for ${d.tenant} (as of ${d.today}).\n\n` +
        `Pending approvals: ${p.accounts + p.habilitations + p.signatures + p.interventions}\n` +
        `  - accounts requested: ${p.accounts}\n  - habilitations requested: ${p.habilitations}\n` +
        `  - signatures to validate: ${p.signatures}\n  - interventions to approve: ${p.interventions}\n` + see('/approvals') +
        `\nOverdue intervention reports: ${d.overdueReports.count}\n` +
        d.overdueReports.items.map((r) => `  - ${r.contractor}: "${r.nature}", due on ${r.dueOn} (${r.daysLate} day(s) late)\n`).join('') +
        more(d.overdueReports.count, d.overdueReports.items.length) + see('/interventions#overdue') +
        `\nOverdue annual access reviews: ${d.overdueReviews.count}\n` +
        d.overdueReviews.items.map((r) => `  - ${r.contractor}: due on ${r.dueOn} (${r.daysLate} day(s) late), ${r.undecided} ` +
          `decision(s) missing\n`).join('') +
        more(d.overdueReviews.count, d.overdueReviews.items.length) + see('/reviews') +
        `\nConnection journal anomalies (last 7 days): ${d.anomalies.count}\n` +
        d.anomalies.byKind.map((a) => `  - ${ANOMALY_KINDS.en[a.kind] ?? a.kind}: ${a.count}\n`).join('') + see('/anomalies') +
        `\nAccess closing within 14 days unless re-signed: ${d.gatesClosingSoon.count}\n` +
        d.gatesClosingSoon.items.map((g) => `  - ${g.contractor}: "${g.document}" ${g.version} to sign before ${g.deadline} ` +
          `(${g.daysLeft} day(s))\n`).join('') +
        more(d.gatesClosingSoon.count, d.gatesClosingSoon.items.length) + see('/contractors') +
        `\nHeads of the evidence chains (keep them; a later verify must find them again):\n` +
        d.heads.map((h) => `  - ${h.chain === 'audit' ? 'audit trail' : 'connection journal'}: #${h.seq}, ${h.hash}\n`).join(''),
    };
  },
};
