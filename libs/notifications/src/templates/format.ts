import type { Locale } from './types';

const ROLE_NAMES: Record<Locale, Record<string, string>> = {
  fr: {
    dsi: 'DSI', rssi: 'RSSI', referent: 'référent', auditor: 'auditeur', legal_rep: 'représentant légal',
    security_contact: 'correspondant sécurité', security_deputy: 'suppléant sécurité', staff: 'intervenant',
    platform_admin: 'administrateur de la plateforme',
  },
  en: {
    dsi: 'DSI', rssi: 'CISO', referent: 'referent', auditor: 'auditor', legal_rep: 'legal representative',
    security_contact: 'security contact', security_deputy: 'security deputy', staff: 'intervenant', platform_admin: 'platform admin',
  },
};

/** A person's roles in words: "DSI, RSSI". */
export const roleNames = (roles: string[] | undefined, locale: Locale): string =>
  (roles ?? []).map((r) => ROLE_NAMES[locale][r] ?? r).join(', ');

/** An instant as people read it, in a time zone: "12 décembre 2026 à 22:25", "12 December 2026 at 22:25". */
export function readableInstant(iso: string, locale: Locale, timeZone = 'Europe/Paris'): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'fr-FR', { timeZone, dateStyle: 'long', timeStyle: 'short' }).format(at);
}
