import { Injectable } from '@nestjs/common';
import { ValidationFailed } from '@app/core';
import { PasswordHasher } from '../auth/password-hasher';
import { TenantsRepository } from '../tenants/tenants.repository';
import { passwordProblems } from './password-rules';
import { EMAIL_NAME_MIN_LENGTH, passwordRulesOf, PasswordRulesView } from './password-rules-view';
import { TenantPolicy } from './tenant-policy';

/** R-POL: checks a new password against the person's tenant policy (platform admins: the defaults). */
@Injectable()
export class PasswordPolicyService {
  constructor(
    private readonly tenants: TenantsRepository,
    private readonly hasher: PasswordHasher,
  ) {}

  /** The rules a new password of a person of this tenant follows (platform admins: the defaults). */
  async rules(tenantId: string | null): Promise<PasswordRulesView> {
    return passwordRulesOf((tenantId ? await this.tenants.policyOf(tenantId) : new TenantPolicy()).password);
  }

  async assert(tenantId: string | null, password: string, email?: string): Promise<void> {
    const policy = tenantId ? await this.tenants.policyOf(tenantId) : new TenantPolicy();
    const problems = passwordProblems(password, policy.password);
    const localPart = email?.split('@')[0].toLowerCase();
    if (localPart && localPart.length >= EMAIL_NAME_MIN_LENGTH && password.toLowerCase().includes(localPart)) {
      problems.push('not to contain your e-mail name');
    }
    if (problems.length) {
      throw new ValidationFailed('The password does not follow the policy', [
        { field: 'password', message: `The password needs ${problems.join(', ')}` },
      ]);
    }
  }

  /** The hash of a new password that follows the policy (400 otherwise). */
  async hashChecked(tenantId: string | null, password: string, email?: string): Promise<string> {
    await this.assert(tenantId, password, email);
    return this.hasher.hash(password);
  }
}
