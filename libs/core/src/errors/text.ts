/** R-L10N: the API answers in French or English; French when nothing says otherwise. */
export type Lang = 'fr' | 'en';
export const LANGS: readonly Lang[] = ['fr', 'en'];
export const DEFAULT_LANG: Lang = 'fr';

/** A text in both languages (a catalogue entry, a label, a noun given as a parameter). */
export interface Localised {
  readonly fr: string;
  readonly en: string;
}

/** A named value of a message: shown as is (a name, a number) or in the reader's language. */
export type Param = string | number | Localised;
export type Params = Readonly<Record<string, Param>>;

/** A message rendered only once the reader's language is known: an entry of a catalogue and its named values. */
export interface Text {
  readonly catalogue: string;
  readonly key: string;
  readonly params?: Params;
  /** The entry's field message (`field`) instead of its detail. */
  readonly part?: 'field';
}

type Entry = Localised & { readonly field?: Localised };
const texts = new Map<string, Readonly<Record<string, Entry>>>();

/** Declares a catalogue's texts under its name (errors, validation messages, nouns). */
export function registerTexts(catalogue: string, entries: Readonly<Record<string, Entry>>): void {
  texts.set(catalogue, entries);
}

export function textEntry(text: Pick<Text, 'catalogue' | 'key' | 'part'>): Localised | undefined {
  const entry = texts.get(text.catalogue)?.[text.key];
  return text.part === 'field' ? entry?.field : entry;
}

/** `{name}` is a parameter; `{n#one|other}` is the number n followed by the word in its singular or plural. */
const PLACEHOLDER = /\{(\w+)(?:#([^|}]*)\|([^}]*))?\}/g;

export function interpolate(template: string, params: Params, lang: Lang): string {
  const text = template.replace(PLACEHOLDER, (whole, name: string, one?: string, other?: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    const shown = typeof value === 'object' ? value[lang] : String(value);
    if (one === undefined) return shown;
    // French counts 0 and 1 as singular, English 1 only.
    const n = Math.abs(Number(value));
    return `${shown} ${(lang === 'fr' ? n >= 2 : n !== 1) ? other : one}`;
  });
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The parameter names a template uses (both languages of an entry must use the same). */
export function placeholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]).sort();
}

export function renderText(text: Text, lang: Lang): string {
  const entry = textEntry(text);
  return entry ? interpolate(entry[lang], text.params ?? {}, lang) : `${text.catalogue}:${text.key}`;
}

/** A text or a plain string (older callers, texts of other systems) in `lang`. */
export function render(message: string | Text, lang: Lang): string {
  return typeof message === 'string' ? message : renderText(message, lang);
}

/**
 * The caller's language: the signed-in person's locale, else the best of `Accept-Language` (q-values) that the
 * API speaks, else French.
 */
export function pickLang(locale: string | null | undefined, acceptLanguage: string | string[] | undefined): Lang {
  if (locale === 'fr' || locale === 'en') return locale;
  const header = Array.isArray(acceptLanguage) ? acceptLanguage.join(',') : acceptLanguage ?? '';
  let best: { lang: Lang; q: number } | undefined;
  for (const part of header.split(',')) {
    const [tag, ...options] = part.trim().split(';');
    const lang = tag.trim().toLowerCase().split('-')[0];
    const qOption = options.map((o) => o.trim()).find((o) => o.startsWith('q='));
    const q = qOption ? Number(qOption.slice(2)) : 1;
    if ((lang === 'fr' || lang === 'en') && q > 0 && (!best || q > best.q)) best = { lang, q };
  }
  return best?.lang ?? DEFAULT_LANG;
}
