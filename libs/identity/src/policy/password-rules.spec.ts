import { passwordProblems } from './password-rules';
import { PasswordPolicy, presetPolicy } from './tenant-policy';

describe('R-POL password policy', () => {
  const policy = presetPolicy('cpts-provence-sante').password;

  it('accepts a password with upper, lower, digit, special and the minimum length', () => {
    expect(passwordProblems('Correct-Horse-42', policy)).toEqual([]);
  });

  it('lists every missing class at once', () => {
    expect(passwordProblems('short', policy)).toEqual([
      'at least 12 characters', 'an upper-case letter', 'a digit', 'a special character',
    ]);
  });

  it('follows a tenant that relaxes the character classes', () => {
    const relaxed = Object.assign(new PasswordPolicy(), { requireSpecial: false, requireDigit: false, minLength: 8 });
    expect(passwordProblems('Abcdefgh', relaxed)).toEqual([]);
  });
});
