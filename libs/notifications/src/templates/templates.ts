import * as accounts from './accounts';
import * as charters from './charters';
import * as directory from './directory';
import * as identity from './identity';
import * as interventions from './interventions';
import * as reviews from './reviews';
import type { Locale, Render, RenderedMail, TemplateData, TemplateName, TemplateSet } from './types';

export type { Locale, RenderedMail, TemplateData, TemplateName } from './types';

const TEMPLATES: Record<Locale, TemplateSet<TemplateName>> = {
  fr: { ...identity.fr, ...charters.fr, ...accounts.fr, ...interventions.fr, ...reviews.fr, ...directory.fr },
  en: { ...identity.en, ...charters.en, ...accounts.en, ...interventions.en, ...reviews.en, ...directory.en },
};

export function renderMail<K extends TemplateName>(name: K, locale: Locale, data: TemplateData[K]): RenderedMail {
  const set = TEMPLATES[locale] ?? TEMPLATES.fr;
  const render = set[name] as Render<TemplateData[K]> | undefined;
  if (!render) throw new Error(`No e-mail template "${name}"`);
  return render(data);
}
