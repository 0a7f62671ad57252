import { MESSAGES, MessageKey } from './messages';

/** French by default (the charter's language); English on request. */
export type Lang = 'fr' | 'en';

export function translate(lang: Lang, key: MessageKey, vars?: Record<string, string | number>): string {
  const text = MESSAGES[key][lang === 'fr' ? 0 : 1];
  return vars ? text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole)) : text;
}
