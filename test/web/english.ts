import type { Page } from 'playwright-core';

/**
 * R-L10N: English words that a French screen never shows (nor identifiers, below). Whole words, case-insensitive; French homographs
 * ("a", "on", "or", "an", "file", "report", "active", "due", "date", "type", "page"...) are left out on purpose.
 */
const ENGLISH = new Set(`
the and not is are was were be been being this that these those must should could would will shall can cannot can't
won't don't doesn't isn't aren't with without your you yours our we they their there here which who whom whose what when
where why how than then for from into onto of to by at it its if yes all any some more less only also just very new old
now already again still please sorry thanks welcome hello
error errors invalid valid required missing empty longer shorter equal characters character found failed failure success
successful successfully unknown none true false null undefined
loading cancel cancelled save saved submit submitted delete deleted edit update updated create created add added remove
removed send sent show hide close closed back next previous search filter download upload copy copied confirm confirmed
sign signed unsigned login logout log password passwords username account accounts settings user users
company companies contractor contractors review reviews window windows request requested requests pending approved
rejected revoked expired draft enabled disabled keep remote onsite overdue done todo step steps open opened
access security charter departure departures establishment tenant key keys token tokens link links home about help
`.trim().split(/\s+/));

/** Names and technical terms a French screen may show as they are (none is in the list above; kept for the reader). */
export const ALWAYS_ALLOWED = [
  'Prestagate', 'TOTP', 'SIRET', 'API', 'URL', 'CSV', 'JSON', 'HTML', 'PDF', 'OpenID', 'SHA-256', 'X-Api-Key', 'e-mail',
];

/** What a person reads on the page: a visible text or an attribute read to them, and where it is. */
export interface ScreenText {
  text: string;
  where: string;
}

export interface EnglishFragment extends ScreenText {
  words: string[];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Leaves out what is not language: addresses, links, identifiers, and the allowed values (seeded data, names). */
function strip(text: string, allow: (string | RegExp)[]): string {
  let rest = text
    .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, ' ')
    .replace(/\bhttps?:\/\/\S+/g, ' ')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, ' ');
  // The longest first: `X-Api-Key` before `API`.
  for (const value of [...ALWAYS_ALLOWED, ...allow].sort((a, b) => String(b).length - String(a).length)) {
    const pattern = typeof value === 'string' ? new RegExp(escape(value), 'gi') : new RegExp(value.source, `${value.flags.replace('g', '')}g`);
    rest = rest.replace(pattern, ' ');
  }
  return rest;
}

/** A developer's identifier shown as text: a field name (`versionLabel`), a code (`user.mfa_enrolled`, `SIGNER_NOT_...`). */
const IDENTIFIER = /^(?:[a-z]+(?:[A-Z][a-z0-9]+)+|[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+)$/;

/** The texts holding English words or identifiers, with the words found. */
export function englishIn(texts: ScreenText[], allow: (string | RegExp)[] = []): EnglishFragment[] {
  const found: EnglishFragment[] = [];
  for (const { text, where } of texts) {
    const rest = strip(text, allow);
    const identifiers = rest.split(/[^\p{L}\p{N}_]+/u).filter((w) => IDENTIFIER.test(w));
    const words = rest.toLowerCase().replace(/’/g, '\'').split(/[^\p{L}\p{N}']+/u)
      .map((w) => w.replace(/^'+|'+$/g, ''))
      .filter((w) => ENGLISH.has(w));
    if (words.length || identifiers.length) found.push({ text, where, words: [...new Set([...words, ...identifiers])] });
  }
  return found;
}

/**
 * Runs in the page (JavaScript: the tests' types have no DOM): visible text nodes, attributes read to people, the tab's title.
 * Text marked `translate="no"` (HTML's mark for identifiers: an event's code, a key's prefix) is not language.
 */
const COLLECT_TEXTS = `(() => {
  const out = [];
  const describe = (el) => {
    const parts = [];
    for (let node = el; node && node !== document.body && parts.length < 3; node = node.parentElement) {
      const classes = Array.from(node.classList).map((c) => '.' + c).join('');
      parts.unshift(node.tagName.toLowerCase() + (node.id ? '#' + node.id : classes));
    }
    return parts.join(' > ');
  };
  // An option is drawn only once its select opens: it is read when the select is visible.
  const visible = (el) => (el.closest('select') ?? el).checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    const text = (node.textContent ?? '').replace(/\\s+/g, ' ').trim();
    if (!parent || !text || parent.closest('script, style, noscript, template, [translate="no"]') || !visible(parent)) continue;
    out.push({ text, where: describe(parent) });
  }
  const attributes = ['placeholder', 'aria-label', 'aria-description', 'aria-roledescription', 'title', 'alt'];
  for (const el of document.body.querySelectorAll('*')) {
    if (!visible(el)) continue;
    for (const name of attributes) {
      const value = el.getAttribute(name)?.trim();
      if (value) out.push({ text: value, where: describe(el) + ' [' + name + ']' });
    }
    const button = el instanceof HTMLInputElement && ['button', 'submit', 'reset'].includes(el.type);
    if (button && el.value) out.push({ text: el.value, where: describe(el) + ' [value]' });
  }
  if (document.title) out.push({ text: document.title, where: 'title' });
  return out;
})()`;

/** Everything a person reads on the page now. */
export function screenTexts(page: Page): Promise<ScreenText[]> {
  return page.evaluate<ScreenText[]>(COLLECT_TEXTS);
}

/** The failure's text: each English fragment with its words and where it is, or null when there is none. */
export function englishReport(fragments: EnglishFragment[]): string | null {
  if (!fragments.length) return null;
  const short = (text: string) => (text.length > 160 ? `${text.slice(0, 157)}...` : text);
  const lines = fragments.map((f) => `- "${short(f.text)}" (${f.words.join(', ')}) in ${f.where}`);
  return `R-L10N: ${fragments.length} English text(s) on a French screen:\n${lines.join('\n')}`;
}

/** Fails when the page shows English text; `allow` lists the values the test seeded (names of people, companies...). */
export async function expectFrench(page: Page, allow: (string | RegExp)[] = []): Promise<void> {
  const report = englishReport(englishIn(await screenTexts(page), allow));
  if (report) throw new Error(`${report}\n(on ${page.url()})`);
}
