import type { Localised } from '@app/core';
import { PASSWORD_MAX_LENGTH } from './password-rules-view';
import { PasswordPolicy } from './tenant-policy';

/** R-POL password policy: what the password lacks, in words a person understands, in French and English (R-L10N). */
export function passwordNeeds(password: string, policy: PasswordPolicy): Localised[] {
  const needs: Localised[] = [];
  if (password.length < policy.minLength) {
    needs.push({ fr: `au moins ${policy.minLength} caractères`, en: `at least ${policy.minLength} characters` });
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    needs.push({ fr: `au plus ${PASSWORD_MAX_LENGTH} caractères`, en: `at most ${PASSWORD_MAX_LENGTH} characters` });
  }
  if (policy.requireUpper && !/\p{Lu}/u.test(password)) needs.push({ fr: 'une majuscule', en: 'an upper-case letter' });
  if (policy.requireLower && !/\p{Ll}/u.test(password)) needs.push({ fr: 'une minuscule', en: 'a lower-case letter' });
  if (policy.requireDigit && !/\d/.test(password)) needs.push({ fr: 'un chiffre', en: 'a digit' });
  if (policy.requireSpecial && !/[^\p{L}\d]/u.test(password)) needs.push({ fr: 'un caractère spécial', en: 'a special character' });
  return needs;
}

/** What the password lacks, in English. */
export function passwordProblems(password: string, policy: PasswordPolicy): string[] {
  return passwordNeeds(password, policy).map((need) => need.en);
}
