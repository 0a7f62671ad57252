import { createContext, ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { MESSAGES, MessageKey } from './messages';
import { Lang, translate } from './translate';

export { translate };
export type { Lang } from './translate';

/** The language is remembered in this browser. */
const LANG_KEY = 'prestagate.lang';

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

interface I18n {
  lang: Lang;
  setLang(lang: Lang): void;
  t: Translate;
  /** Dates and instants in the person's language, in the browser's time zone. */
  date(value: string | null | undefined): string;
  dateTime(value: string | null | undefined): string;
}

const Context = createContext<I18n | null>(null);

/** The console's language, as chosen in this browser (also what the API is asked to answer in: R-L10N). */
export function storedLang(): Lang {
  const stored = localStorage.getItem(LANG_KEY);
  return stored === 'en' || stored === 'fr' ? stored : 'fr';
}


export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(storedLang);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const setLang = useCallback((next: Lang) => {
    localStorage.setItem(LANG_KEY, next);
    setLangState(next);
  }, []);
  const value = useMemo<I18n>(() => {
    const locale = lang === 'fr' ? 'fr-FR' : 'en-GB';
    const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
    const dateTimeFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    return {
      lang,
      setLang,
      t: (key, vars) => translate(lang, key, vars),
      // Calendar dates (YYYY-MM-DD) are days, not instants: read them at noon so no time zone moves them.
      date: (value) => (value ? dateFormat.format(new Date(value.length === 10 ? `${value}T12:00:00` : value)) : '—'),
      dateTime: (value) => (value ? dateTimeFormat.format(new Date(value)) : '—'),
    };
  }, [lang, setLang]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(Context);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}

/** A code of the API (gate, readiness, reasons) in words, falling back on the API's own sentence. */
export function useCodeLabel(): (code: string, detail?: string) => string {
  const { t, lang } = useI18n();
  return (code, detail) => {
    const key = `code.${code}` as MessageKey;
    if (key in MESSAGES) return t(key);
    const document = /^(CHARTER|RGPD_CLAUSES|SECURITY_REFERENTIAL|CONVENTION)_(NOT_PUBLISHED|NOT_SIGNED|PENDING_VALIDATION|REJECTED|RESIGN_OVERDUE|MISSING)$/.exec(code);
    if (document) {
      const [, kind, state] = document;
      return `${t(`doc.${kind}` as MessageKey)} : ${t(`docstate.${state}` as MessageKey)}`.replace(' :', lang === 'fr' ? ' :' : ':');
    }
    return detail ?? code;
  };
}
