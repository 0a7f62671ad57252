import { ApiProperty } from '@nestjs/swagger';
import { PasswordPolicy } from './tenant-policy';

/** Above the policy's minimum, every password is refused beyond this length (R-POL). */
export const PASSWORD_MAX_LENGTH = 256;
/** The part of the e-mail address before the @, from this length on, may not appear in the password. */
export const EMAIL_NAME_MIN_LENGTH = 3;

/** R-POL: every rule a new password of this person must follow, as passwordProblems and PasswordPolicyService check it. */
export class PasswordRulesView {
  @ApiProperty() minLength: number;
  @ApiProperty() maxLength: number;
  @ApiProperty() requireUpper: boolean;
  @ApiProperty() requireLower: boolean;
  @ApiProperty() requireDigit: boolean;
  @ApiProperty() requireSpecial: boolean;
  @ApiProperty({ description: 'The part of the e-mail address before the @ may not appear in the password' }) notEmailName: boolean;
}

export function passwordRulesOf(policy: PasswordPolicy): PasswordRulesView {
  const { minLength, requireUpper, requireLower, requireDigit, requireSpecial } = policy;
  return { minLength, maxLength: PASSWORD_MAX_LENGTH, requireUpper, requireLower, requireDigit, requireSpecial, notEmailName: true };
}
