import type { TemplateSet } from './types';

type Names = 'account-suspended' | 'account-deactivated' | 'account-reinstated' | 'incident-reported';

/** Accounts and incidents. */
export const fr: TemplateSet<Names> = {
  'account-suspended': (d) => ({
    subject: `Compte suspendu : ${d.person} (${d.contractor})`,
    text: `Bonjour,\n\nLe compte de ${d.person} (${d.contractor}) est suspendu. Motif : ${d.reason}.\n` +
      (d.resumeOn ? `Il reprendra automatiquement le ${d.resumeOn}.\n` : `Il reprendra sur décision de la Direction du Numérique.\n`),
  }),
  'account-deactivated': (d) => ({
    subject: `Compte désactivé : ${d.person} (${d.contractor})`,
    text: `Bonjour,\n\nLe compte de ${d.person} (${d.contractor}) est désactivé depuis le ${d.effectiveOn}. Motif : ${d.reason}.\n` +
      `Ses sessions sont fermées et ses interventions à venir annulées (article 35 de la charte).\n`,
  }),
  'account-reinstated': (d) => ({
    subject: `Compte réintégré : ${d.person} (${d.contractor})`,
    text: `Bonjour,\n\n${d.by} (Direction du Numérique) a réintégré ${d.person} (${d.contractor}), parti(e) le ${d.departedOn}. Motif ` +
      `: ${d.reason}.\n` +
      `Le compte redevient actif dès que ses conditions sont remplies ; la personne peut se reconnecter.\n`,
  }),
  'incident-reported': (d) => ({
    subject: `Signalement de sécurité (${d.kind}) : ${d.contractor}`,
    text: `Bonjour,\n\n${d.reporter} a signalé un événement de sécurité (${d.kind}) pour ${d.contractor}.\n\n${d.description}\n` +
      (d.person ? `\nCompte concerné : ${d.person}.${d.suspended ? ' Il a été suspendu immédiatement.' : ''}\n` : ''),
  }),
};

export const en: TemplateSet<Names> = {
  'account-suspended': (d) => ({
    subject: `Account suspended: ${d.person} (${d.contractor})`,
    text: `Hello,\n\nThe account of ${d.person} (${d.contractor}) is suspended. Reason: ${d.reason}.\n` +
      (d.resumeOn ? `It resumes on its own on ${d.resumeOn}.\n` : `It resumes when the digital direction decides so.\n`),
  }),
  'account-deactivated': (d) => ({
    subject: `Account deactivated: ${d.person} (${d.contractor})`,
    text: `Hello,\n\nThe account of ${d.person} (${d.contractor}) is deactivated as of ${d.effectiveOn}. Reason: ${d.reason}.\n` +
      `Its sessions are closed and its future interventions cancelled (charter article 35).\n`,
  }),
  'account-reinstated': (d) => ({
    subject: `Account reinstated: ${d.person} (${d.contractor})`,
    text: `Hello,\n\n${d.by} (digital direction) reinstated ${d.person} (${d.contractor}), who left on ${d.departedOn}. Reason: ` +
      `${d.reason}.\n` +
      `The account is active again as soon as its requirements are met; the person can sign in again.\n`,
  }),
  'incident-reported': (d) => ({
    subject: `Security report (${d.kind}): ${d.contractor}`,
    text: `Hello,\n\n${d.reporter} reported a security event (${d.kind}) for ${d.contractor}.\n\n${d.description}\n` +
      (d.person ? `\nAccount concerned: ${d.person}.${d.suspended ? ' It was suspended at once.' : ''}\n` : ''),
  }),
};
