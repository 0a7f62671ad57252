import { readableInstant, roleNames } from './format';
import type { TemplateSet } from './types';

/** Instants as people read them, in the establishment's time zone (R-L10N). */
const frAt = (iso: string, d: { timeZone?: string }) => readableInstant(iso, 'fr', d.timeZone);
const enAt = (iso: string, d: { timeZone?: string }) => readableInstant(iso, 'en', d.timeZone);

type Names = 'invitation' | 'password-changed' | 'account-locked' | 'mfa-reset' | 'mfa-reset-requested' | 'mfa-reset-by-operator';

/** Sign-in and second factor (identity). */
export const fr: TemplateSet<Names> = {
  invitation: (d) => ({
    subject: `Invitation à ${d.tenantName}`,
    text: `Bonjour ${d.firstName},\n\n${d.tenantName} vous a ouvert un compte nominatif sur Prestagate` +
      `${d.roles?.length ? ` (rôle : ${roleNames(d.roles, 'fr')})` : ''}.\n` +
      (d.existingAccount
        ? `Vous avez déjà un compte Prestagate : ouvrez ce lien à usage unique, valable jusqu'au ${frAt(d.expiresAt, d)}, et ` +
          `confirmez avec votre mot de passe habituel. Vous gardez votre mot de passe et votre application d'authentification ; ` +
          `à la connexion, vous choisirez l'établissement.\n${d.link}\n`
        : `Choisissez votre mot de passe avec ce lien à usage unique, valable jusqu'au ${frAt(d.expiresAt, d)} :\n` +
          `${d.link}\n\n` +
          `À votre première connexion, vous enrôlerez une application d'authentification (TOTP) : elle est obligatoire.\n`),
  }),
  'password-changed': (d) => ({
    subject: 'Votre mot de passe a été modifié',
    text: `Bonjour ${d.firstName},\n\nVotre mot de passe a été modifié le ${frAt(d.at, d)}. Vos autres sessions ont été fermées.\n` +
      `Si vous n'êtes pas à l'origine de ce changement, prévenez immédiatement votre contact sécurité.\n`,
  }),
  'account-locked': (d) => ({
    subject: 'Votre compte est temporairement verrouillé',
    text: `Bonjour ${d.firstName},\n\nTrop de tentatives de connexion ont échoué. ` +
      `Votre compte est verrouillé jusqu'au ${frAt(d.until, d)}.\n` +
      `D'ici là, la connexion répond « e-mail ou mot de passe incorrect », même avec le bon mot de passe : ` +
      `ce message est le seul à vous signaler le verrouillage, pour que personne d'autre ne l'apprenne.\n` +
      `Si ces tentatives ne viennent pas de vous, prévenez votre contact sécurité.\n`,
  }),
  'mfa-reset': (d) => ({
    subject: 'Votre second facteur (TOTP) a été réinitialisé',
    text: `Bonjour ${d.firstName},\n\n${d.byOperator ? "L'opérateur de la plateforme Prestagate" : 'La Direction du Numérique'} a ` +
      `réinitialisé votre second facteur d'authentification le ${frAt(d.at, d)}.\n` +
      `Motif : ${d.reason}\n\nVos sessions ont été fermées et vos codes de secours ne sont plus valables. Pour enrôler de nouveau ` +
      `une application d'authentification (TOTP), ouvrez ce lien à usage unique et connectez-vous avec votre mot de passe :\n${d.link}\n` +
      `Ce lien expire le ${frAt(d.expiresAt, d)} ; sans lui, votre mot de passe seul ne suffit pas.\n` +
      `Si vous n'êtes pas à l'origine de cette demande, prévenez immédiatement la Direction du Numérique et votre contact sécurité.\n`,
  }),
  'mfa-reset-requested': (d) => ({
    subject: `Demande de réinitialisation du second facteur de ${d.person}`,
    text: `Bonjour,\n\n${d.requester} demande le ${frAt(d.at, d)} la réinitialisation du second facteur (TOTP) ` +
      `de ${d.person} (${d.email}).\n` +
      `Motif : ${d.reason}\n\nVérifiez l'identité de la personne (rappel au numéro déclaré), puis réinitialisez son second facteur ` +
      `depuis la page Personnes de Prestagate (lien ci-dessous).\n` +
      `Si cette demande vous surprend, ne faites rien et contactez le prestataire.\n`,
  }),
  'mfa-reset-by-operator': (d) => ({
    subject: `Second facteur de ${d.person} réinitialisé par l'opérateur de la plateforme`,
    text: `Bonjour,\n\nL'opérateur de la plateforme (${d.operator}) a réinitialisé le ${frAt(d.at, d)} ` +
      `le second facteur (TOTP) de ${d.person} ` +
      `(${d.email}), ` +
      `DSI de ${d.tenant}.\nMotif : ${d.reason}\n\nSes sessions ont été fermées ; à sa prochaine connexion, la personne enrôle une ` +
        `nouvelle ` +
      `application d'authentification. Le journal d'audit de l'établissement garde cette action (user.mfa_reset).\n` +
      `Si cette réinitialisation vous surprend, contactez l'opérateur de la plateforme et la personne sans attendre.\n`,
  }),
};

export const en: TemplateSet<Names> = {
  invitation: (d) => ({
    subject: `Invitation to ${d.tenantName}`,
    text: `Hello ${d.firstName},\n\n${d.tenantName} opened a nominative account for you on Prestagate` +
      `${d.roles?.length ? ` (role: ${roleNames(d.roles, 'en')})` : ''}.\n` +
      (d.existingAccount
        ? `You already have a Prestagate account: open this one-time link, valid until ${enAt(d.expiresAt, d)}, and confirm with ` +
          `your usual password. You keep your password and your authenticator app; at sign-in you will choose the establishment.\n` +
          `${d.link}\n`
        : `Choose your password with this one-time link, valid until ${enAt(d.expiresAt, d)}:\n${d.link}\n\n` +
          `At your first sign-in you will enrol an authenticator app (TOTP): it is mandatory.\n`),
  }),
  'password-changed': (d) => ({
    subject: 'Your password was changed',
    text: `Hello ${d.firstName},\n\nYour password was changed on ${enAt(d.at, d)}. Your other sessions were closed.\n` +
      `If you did not do this, tell your security contact at once.\n`,
  }),
  'account-locked': (d) => ({
    subject: 'Your account is temporarily locked',
    text: `Hello ${d.firstName},\n\nToo many sign-in attempts failed. Your account is locked until ${enAt(d.until, d)}.\n` +
      `Until then, sign-in answers "e-mail or password is not correct", even with the right password: ` +
      `this message is the only one that tells you of the lock, so that nobody else learns of it.\n` +
      `If these attempts were not yours, tell your security contact.\n`,
  }),
  'mfa-reset': (d) => ({
    subject: 'Your second factor (TOTP) was reset',
    text: `Hello ${d.firstName},\n\n${d.byOperator ? 'The operator of the Prestagate platform' : 'The digital department (DSI)'} reset ` +
      `your second authentication factor on ${enAt(d.at, d)}.\n` +
      `Reason: ${d.reason}\n\nYour sessions were closed and your recovery codes no longer work. To enrol an authenticator ` +
      `app (TOTP) again, open this one-time link and sign in with your password:\n${d.link}\n` +
      `This link expires on ${enAt(d.expiresAt, d)}; without it, your password alone is not enough.\n` +
      `If you did not ask for this, tell the digital department and your security contact at once.\n`,
  }),
  'mfa-reset-requested': (d) => ({
    subject: `Second factor reset requested for ${d.person}`,
    text: `Hello,\n\nOn ${enAt(d.at, d)} ${d.requester} asked for the second factor (TOTP) of ${d.person} (${d.email}) to be reset.\n` +
      `Reason: ${d.reason}\n\nCheck who the person is (call back the number on record), then reset their second factor from the ` +
      `People page of Prestagate (link below).\nIf this request surprises you, do nothing and contact the contractor.\n`,
  }),
  'mfa-reset-by-operator': (d) => ({
    subject: `Second factor of ${d.person} reset by the platform operator`,
    text: `Hello,\n\nOn ${enAt(d.at, d)} the platform operator (${d.operator}) reset the second factor (TOTP) ` +
      `of ${d.person} (${d.email}), ` +
      `DSI of ${d.tenant}.\nReason: ${d.reason}\n\nTheir sessions were closed; at their next sign-in the person enrols a new ` +
      `authenticator app. The establishment's audit trail keeps this action (user.mfa_reset).\n` +
      `If this reset surprises you, contact the platform operator and the person at once.\n`,
  }),
};
