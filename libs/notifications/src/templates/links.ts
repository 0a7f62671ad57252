import type { Locale, TemplateData, TemplateName } from './types';

type PathOf = { [K in TemplateName]: ((data: TemplateData[K]) => string) | null };

const company = (d: { contractorId?: string }, section: string) => (d.contractorId ? `/contractors/${d.contractorId}#${section}` : '/');

/**
 * R-NOT: the console page where the act an e-mail calls for is done, for every recipient it goes to (a company's page serves
 * both its contacts and the DSI). Null: the e-mail carries its own one-time link. The pages are the console's routes (app.tsx).
 */
export const CONSOLE_PATHS: PathOf = {
  invitation: null,
  'password-changed': () => '/account',
  'account-locked': () => '/login',
  'mfa-reset': null,
  'mfa-reset-by-operator': () => '/audit',
  'mfa-reset-requested': () => '/people',
  'signature-submitted': () => '/approvals#q-signatures',
  'signature-decided': () => '/onboarding',
  'resign-reminder': () => '/onboarding',
  'resign-overdue': (d) => company(d, 'signatures'),
  'attestation-required': (d) => company(d, 'prestations'),
  'attestation-overdue': (d) => company(d, 'prestations'),
  'attestation-received': (d) => company(d, 'prestations'),
  'account-suspended': (d) => company(d, 'accounts'),
  'account-deactivated': (d) => company(d, 'accounts'),
  'account-reinstated': (d) => company(d, 'accounts'),
  'incident-reported': () => '/incidents',
  'window-requested': () => '/interventions#pending',
  'window-decided': () => '/interventions',
  'intervention-started': () => '/interventions',
  'report-filed': () => '/interventions',
  'report-overdue': () => '/interventions#overdue',
  'review-reminder': (d) => (d.reviewId ? `/reviews/${d.reviewId}` : '/reviews'),
  'review-overdue': (d) => (d.reviewId ? `/reviews/${d.reviewId}` : '/reviews'),
  'anomalies-detected': () => '/anomalies',
  'directory-refused': () => '/directory',
  'directory-drift': () => '/directory',
  'weekly-digest': () => '/',
};

export const FOLLOW: Record<Locale, string> = { fr: 'Pour agir, ouvrez Prestagate :', en: 'To act, open Prestagate:' };

export function consolePath<K extends TemplateName>(name: K, data: TemplateData[K]): string | null {
  const path = CONSOLE_PATHS[name] as ((d: TemplateData[K]) => string) | null;
  return path ? path(data) : null;
}
