import type { Messages } from './messages';

/** The hospital's people (DSI's directory): [French, English]. */
export const USERS = {
  'people.title': ['Personnes de l’établissement', 'The establishment’s people'],
  'people.list': ['Personnes', 'People'],
  'people.none': ['Aucune personne.', 'No one.'],
  'people.company': ['Entreprise', 'Company'],
  'people.staff': ['Personnel de l’établissement', 'The establishment’s staff'],
  'people.invite': ['Inviter une personne', 'Invite someone'],
  'people.inviteHelp': ['La personne reçoit un lien d’invitation par e-mail pour choisir son mot de passe, puis active la double authentification.', 'The person receives an invitation link by e-mail to choose a password, then sets up two-factor authentication.'],
  'people.locale': ['Langue des e-mails', 'Language of the e-mails'],
  'people.submit': ['Inviter', 'Invite'],
  'people.invited': ['Invitation envoyée.', 'Invitation sent.'],
  'people.resendInvitation': ['Renvoyer l’invitation', 'Resend the invitation'],
  'people.invitationResent': ['Nouvelle invitation envoyée ; les liens précédents ne fonctionnent plus.', 'New invitation sent; the earlier links no longer work.'],
  'people.resetMfa': ['Réinitialiser la double authentification', 'Reset two-factor authentication'],
  'people.mfaReset': ['Double authentification réinitialisée : la personne est déconnectée et l’enrôlera de nouveau à sa prochaine connexion.', 'Two-factor authentication reset: the person is signed out and enrols again at the next sign-in.'],
  'ustatus.invited': ['invitée', 'invited'],
  'ustatus.active': ['active', 'active'],
  'ustatus.suspended': ['suspendue', 'suspended'],
  'ustatus.deactivated': ['désactivée', 'deactivated'],
  'people.requestMfaReset': ['Demander la réinitialisation de la double authentification', 'Ask for a reset of two-factor authentication'],
  'people.mfaResetRequested': ['Demande envoyée aux DSI de l’établissement ({count}) : ils vérifient l’identité de la personne puis réinitialisent.', 'Request sent to the establishment’s DSIs ({count}): they check who the person is, then reset.'],
} as const satisfies Messages;
