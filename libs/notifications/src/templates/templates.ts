/** R-NOT: every e-mail exists in French (default) and English. A template is a pure function of its data. */
export type Locale = 'fr' | 'en';

export interface RenderedMail {
  subject: string;
  text: string;
}

type Render<D> = (data: D) => RenderedMail;

export interface TemplateData {
  invitation: { firstName: string; tenantName: string; link: string; expiresAt: string };
  'password-changed': { firstName: string; at: string };
  'account-locked': { firstName: string; until: string };
}

export type TemplateName = keyof TemplateData;

const fr: { [K in TemplateName]: Render<TemplateData[K]> } = {
  invitation: (d) => ({
    subject: `Invitation à ${d.tenantName}`,
    text: `Bonjour ${d.firstName},\n\nUn compte nominatif vous a été ouvert pour ${d.tenantName}.\n` +
      `Choisissez votre mot de passe avec ce lien à usage unique (valable jusqu'au ${d.expiresAt}) :\n${d.link}\n\n` +
      `À votre première connexion, vous enrôlerez une application d'authentification (TOTP) : elle est obligatoire.\n`,
  }),
  'password-changed': (d) => ({
    subject: 'Votre mot de passe a été modifié',
    text: `Bonjour ${d.firstName},\n\nVotre mot de passe a été modifié le ${d.at}. Vos autres sessions ont été fermées.\n` +
      `Si vous n'êtes pas à l'origine de ce changement, prévenez immédiatement votre contact sécurité.\n`,
  }),
  'account-locked': (d) => ({
    subject: 'Votre compte est temporairement verrouillé',
    text: `Bonjour ${d.firstName},\n\nTrop de tentatives de connexion ont échoué. Votre compte est verrouillé jusqu'au ${d.until}.\n` +
      `Si ces tentatives ne viennent pas de vous, prévenez votre contact sécurité.\n`,
  }),
};

const en: { [K in TemplateName]: Render<TemplateData[K]> } = {
  invitation: (d) => ({
    subject: `Invitation to ${d.tenantName}`,
    text: `Hello ${d.firstName},\n\nA nominative account has been opened for you at ${d.tenantName}.\n` +
      `Choose your password with this one-time link (valid until ${d.expiresAt}):\n${d.link}\n\n` +
      `At your first sign-in you will enrol an authenticator app (TOTP): it is mandatory.\n`,
  }),
  'password-changed': (d) => ({
    subject: 'Your password was changed',
    text: `Hello ${d.firstName},\n\nYour password was changed on ${d.at}. Your other sessions were closed.\n` +
      `If you did not do this, tell your security contact at once.\n`,
  }),
  'account-locked': (d) => ({
    subject: 'Your account is temporarily locked',
    text: `Hello ${d.firstName},\n\nToo many sign-in attempts failed. Your account is locked until ${d.until}.\n` +
      `If these attempts were not yours, tell your security contact.\n`,
  }),
};

const TEMPLATES: Record<Locale, typeof fr> = { fr, en };

export function renderMail<K extends TemplateName>(name: K, locale: Locale, data: TemplateData[K]): RenderedMail {
  const set = TEMPLATES[locale] ?? TEMPLATES.fr;
  const render = set[name] as Render<TemplateData[K]> | undefined;
  if (!render) throw new Error(`No e-mail template "${name}"`);
  return render(data);
}
