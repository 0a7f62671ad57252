import * as accounts from './accounts';
import * as charters from './charters';
import * as directory from './directory';
import * as identity from './identity';
import * as interventions from './interventions';
import { consolePath, FOLLOW } from './links';
import * as reviews from './reviews';
import type { Locale, Render, RenderedMail, TemplateData, TemplateName, TemplateSet } from './types';

export type { Locale, RenderedMail, TemplateData, TemplateName } from './types';

const TEMPLATES: Record<Locale, TemplateSet<TemplateName>> = {
  fr: { ...identity.fr, ...charters.fr, ...accounts.fr, ...interventions.fr, ...reviews.fr, ...directory.fr },
  en: { ...identity.en, ...charters.en, ...accounts.en, ...interventions.en, ...reviews.en, ...directory.en },
};

/** `consoleUrl`: the console's address (PUBLIC_URL); each e-mail ends with the link to the page where its act is done (R-NOT). */
export function renderMail<K extends TemplateName>(name: K, locale: Locale, data: TemplateData[K], consoleUrl = ''): RenderedMail {
  const set = TEMPLATES[locale] ?? TEMPLATES.fr;
  const render = set[name] as Render<TemplateData[K]> | undefined;
  if (!render) throw new Error(`No e-mail template "${name}"`);
  const base = consoleUrl.replace(/\/+$/, '');
  const mail = render(data, (path) => `${base}${path}`);
  const path = consolePath(name, data);
  return path === null ? mail : { ...mail, text: `${mail.text}\n${FOLLOW[locale] ?? FOLLOW.fr} ${base}${path}\n` };
}
