import type { components } from './api/schema';
import type { MessageKey } from './messages';

export type PasswordRules = components['schemas']['PasswordRulesView'];
type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/**
 * R-POL the hint under a new password, built from the rules the API enforces (GET /v1/me/password-rules, or the
 * invitation's): every rule it reports is named, none it does not.
 */
export function passwordHint(rules: PasswordRules, t: Translate): string {
  const kinds = ([
    [rules.requireUpper, 'password.upper'], [rules.requireLower, 'password.lower'],
    [rules.requireDigit, 'password.digit'], [rules.requireSpecial, 'password.special'],
  ] as const).filter(([required]) => required).map(([, key]) => t(key));
  const list = kinds.length > 1 ? `${kinds.slice(0, -1).join(', ')} ${t('password.and')} ${kinds.at(-1)}` : kinds[0];
  const parts = [t('password.length', { min: rules.minLength, max: rules.maxLength })];
  if (list) parts.push(t('password.with', { list }));
  if (rules.notEmailName) parts.push(t('password.notEmailName'));
  return `${parts.join(', ')}.`;
}
