import { ANOMALY_KINDS, TemplateSet } from './types';

type Names = 'window-requested' | 'window-decided' | 'intervention-started' | 'report-filed' | 'report-overdue' | 'anomalies-detected';

/** Intervention windows, their reports, and the connection journal's anomalies. */
export const fr: TemplateSet<Names> = {
  'window-requested': (d) => ({
    subject: d.emergency ? `Intervention en urgence déclarée : ${d.contractor}` : `Demande d'intervention à approuver : ${d.contractor}`,
    text: `Bonjour,\n\n${d.contractor} ${d.emergency ? 'a déclaré une intervention en urgence' : 'demande une fenêtre d\'intervention'} ` +
      `du ${d.startsAt} au ${d.endsAt}.\nNature : ${d.nature}\nRisques annoncés : ${d.risks}\nImpact sur la disponibilité : ` +
        `${d.availabilityImpact}\n` +
      (d.justification ? `Justification : ${d.justification}\n` : '') +
      (d.usageConflict ? `Attention : la fenêtre tombe dans une période d'utilisation ou de gel ; l'approbation demande une dérogation ` +
        `explicite.\n` : ''),
  }),
  'window-decided': (d) => ({
    subject: `Intervention ${d.decision} : ${d.nature}`,
    text: `Bonjour,\n\nL'intervention « ${d.nature} » de ${d.contractor} (du ${d.startsAt} au ${d.endsAt}) est ${d.decision}.\n` +
      (d.reason ? `Motif : ${d.reason}\n` : ''),
  }),
  'intervention-started': (d) => ({
    subject: `Intervention commencée : ${d.contractor}`,
    text: `Bonjour,\n\nL'intervention « ${d.nature} » de ${d.contractor} a commencé le ${d.at} : ${d.person} accède à ${d.resource}.\n`,
  }),
  'report-filed': (d) => ({
    subject: `Compte rendu d'intervention (v${d.version}) : ${d.contractor}`,
    text: `Compte rendu de l'intervention « ${d.nature} » (${d.startsAt} – ${d.endsAt}), ${d.contractor}.\n\n` +
      `Opérations réalisées : ${d.operations}\nIntervenants : ${d.intervenants}\nActions : ${d.actions}\n` +
      `Difficultés rencontrées : ${d.difficulties}\nRéférents informés : ${d.referentsInformed}\n`,
  }),
  'report-overdue': (d) => ({
    subject: `Compte rendu en retard : ${d.nature} (${d.contractor})`,
    text: `Bonjour,\n\nLe compte rendu de l'intervention « ${d.nature} » du ${d.startsAt} était attendu le ${d.dueOn} (${d.daysLate} ` +
      `jour(s) de retard).\n` +
      `Tant qu'il manque, les nouvelles demandes d'intervention de ${d.contractor} sont refusées (articles 42 et 43).\n`,
  }),
  'anomalies-detected': (d) => ({
    subject: `Journal des connexions : ${d.count} anomalie(s) détectée(s)`,
    text: `Bonjour,\n\nLa corrélation du journal des connexions avec les fenêtres d'intervention, les habilitations et l'état des ` +
      `comptes ` +
      `a relevé ${d.count} anomalie(s) (article 41 de la charte) :\n\n` + d.items.map((i) => `- ${i.detail}\n`).join('') +
      (d.more ? `\n… et ${d.more} autre(s).\n` : '') + `\nToutes les anomalies sont consultables dans Prestagate (lien ci-dessous).\n`,
  }),
};

export const en: TemplateSet<Names> = {
  'window-requested': (d) => ({
    subject: d.emergency ? `Emergency intervention declared: ${d.contractor}` : `Intervention request to approve: ${d.contractor}`,
    text: `Hello,\n\n${d.contractor} ${d.emergency ? 'declared an emergency intervention' : 'requests an intervention window'} ` +
      `from ${d.startsAt} to ${d.endsAt}.\nNature: ${d.nature}\nAnnounced risks: ${d.risks}\nImpact on availability: ` +
        `${d.availabilityImpact}\n` +
      (d.justification ? `Justification: ${d.justification}\n` : '') +
      (d.usageConflict ? `Note: the window falls in a usage period or a blackout; approving it needs an explicit override.\n` : ''),
  }),
  'window-decided': (d) => ({
    subject: `Intervention ${d.decision}: ${d.nature}`,
    text: `Hello,\n\nThe intervention "${d.nature}" of ${d.contractor} (from ${d.startsAt} to ${d.endsAt}) is ${d.decision}.\n` +
      (d.reason ? `Reason: ${d.reason}\n` : ''),
  }),
  'intervention-started': (d) => ({
    subject: `Intervention started: ${d.contractor}`,
    text: `Hello,\n\nThe intervention "${d.nature}" of ${d.contractor} started at ${d.at}: ${d.person} is reaching ${d.resource}.\n`,
  }),
  'report-filed': (d) => ({
    subject: `Intervention report (v${d.version}): ${d.contractor}`,
    text: `Report of the intervention "${d.nature}" (${d.startsAt} – ${d.endsAt}), ${d.contractor}.\n\n` +
      `Operations performed: ${d.operations}\nIntervenants: ${d.intervenants}\nActions: ${d.actions}\n` +
      `Difficulties: ${d.difficulties}\nReferents informed: ${d.referentsInformed}\n`,
  }),
  'report-overdue': (d) => ({
    subject: `Intervention report overdue: ${d.nature} (${d.contractor})`,
    text: `Hello,\n\nThe report of the intervention "${d.nature}" of ${d.startsAt} was due on ${d.dueOn} (${d.daysLate} day(s) late).\n` +
      `Until it is filed, new intervention requests of ${d.contractor} are refused (articles 42 and 43).\n`,
  }),
  'anomalies-detected': (d) => {
    return {
      subject: `Connection journal: ${d.count} anomal${d.count > 1 ? 'ies' : 'y'} detected`,
      text: `Hello,\n\nCorrelating the connection journal with the intervention windows, habilitations and account states found ` +
        `${d.count} ` +
        `anomal${d.count > 1 ? 'ies' : 'y'} (charter article 41):\n\n` +
        d.items.map((i) => `- ${ANOMALY_KINDS.en[i.kind] ?? i.kind}: ${i.account} on ${i.resource} at ${i.at} (${d.timeZone})\n`).join('') +
        (d.more ? `\n… and ${d.more} more.\n` : '') + `\nEvery anomaly is listed in Prestagate (link below).\n`,
    };
  },
};
