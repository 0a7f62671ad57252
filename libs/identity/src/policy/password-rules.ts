import { PASSWORD_MAX_LENGTH } from './password-rules-view';
import { PasswordPolicy } from './tenant-policy';

/** R-POL password policy: returns what the password lacks, in words a person understands. */
export function passwordProblems(password: string, policy: PasswordPolicy): string[] {
  const problems: string[] = [];
  if (password.length < policy.minLength) problems.push(`at least ${policy.minLength} characters`);
  if (password.length > PASSWORD_MAX_LENGTH) problems.push(`at most ${PASSWORD_MAX_LENGTH} characters`);
  if (policy.requireUpper && !/\p{Lu}/u.test(password)) problems.push('an upper-case letter');
  if (policy.requireLower && !/\p{Ll}/u.test(password)) problems.push('a lower-case letter');
  if (policy.requireDigit && !/\d/.test(password)) problems.push('a digit');
  if (policy.requireSpecial && !/[^\p{L}\d]/u.test(password)) problems.push('a special character');
  return problems;
}
