import type { TemplateSet } from './types';

type Names = 'directory-refused' | 'directory-drift';

const KINDS = {
  fr: { enabled_inactive: 'entrée active pour un compte inactif', group_without_habilitation: 'membre d\'un groupe sans habilitation',
    unknown_entry: 'entrée active inconnue de Prestagate' } as Record<string, string>,
  en: { enabled_inactive: 'enabled entry of an inactive account', group_without_habilitation: 'group member without a habilitation',
    unknown_entry: 'enabled entry unknown to Prestagate' } as Record<string, string>,
};

const lines = (drifts: { kind: string; dn: string; groupDn: string }[], locale: 'fr' | 'en') =>
  drifts.map((d) => `  - ${KINDS[locale][d.kind] ?? d.kind} : ${d.dn}${d.groupDn ? ` (${d.groupDn})` : ''}\n`).join('');

/** R-PROV the hospital's directory kept in step. */
export const fr: TemplateSet<Names> = {
  'directory-refused': (d) => ({
    subject: `L'annuaire a refusé une modification : ${d.person}`,
    text: `Bonjour,\n\nL'annuaire de l'établissement a refusé d'appliquer la décision de Prestagate pour ${d.person}.\n` +
      `Réponse de l'annuaire : ${d.message}\n\nPrestagate réessaie ; tant que l'erreur persiste, l'annuaire n'est pas à jour ` +
      `pour cette personne. Vérifiez les droits du compte de service et la configuration (Paramètres > Annuaire).\n`,
  }),
  'directory-drift': (d) => ({
    subject: `Écarts dans l'annuaire : ${d.drifts.length}`,
    text: `Bonjour,\n\nLa réconciliation a trouvé ${d.drifts.length} écart(s) entre l'annuaire et Prestagate :\n` +
      `${lines(d.drifts, 'fr')}\n` +
      (d.corrected ? `La correction automatique est active : ces écarts ont été corrigés.\n` : `Ils restent à corriger dans l'annuaire.\n`),
  }),
};

export const en: TemplateSet<Names> = {
  'directory-refused': (d) => ({
    subject: `The directory refused a change: ${d.person}`,
    text: `Hello,\n\nThe establishment's directory refused to apply Prestagate's decision for ${d.person}.\n` +
      `The directory answered: ${d.message}\n\nPrestagate retries; while the error lasts the directory is not up to date ` +
      `for this person. Check the service account's rights and the configuration (Settings > Directory).\n`,
  }),
  'directory-drift': (d) => ({
    subject: `Drift in the directory: ${d.drifts.length}`,
    text: `Hello,\n\nReconciliation found ${d.drifts.length} difference(s) between the directory and Prestagate:\n` +
      `${lines(d.drifts, 'en')}\n` +
      (d.corrected ? `Automatic correction is on: they were corrected.\n` : `They remain to be corrected in the directory.\n`),
  }),
};
