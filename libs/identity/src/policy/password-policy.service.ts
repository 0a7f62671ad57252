import { Injectable } from '@nestjs/common';
import { IdentityErrors } from '../errors';
import { PasswordHasher } from '../auth/password-hasher';
import { TenantsRepository } from '../tenants/tenants.repository';
import { passwordNeeds } from './password-rules';
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
    const problems = passwordNeeds(password, policy.password);
    const localPart = email?.split('@')[0].toLowerCase();
    if (localPart && localPart.length >= EMAIL_NAME_MIN_LENGTH && password.toLowerCase().includes(localPart)) {
      problems.push({ fr: 'ne pas contenir le nom de votre adresse e-mail', en: 'not to contain your e-mail name' });
    }
    if (problems.length) {
      const needs = { fr: problems.map((p) => p.fr).join(', '), en: problems.map((p) => p.en).join(', ') };
      throw IdentityErrors.invalid('PASSWORD_WEAK', 'password', { needs });
    }
  }

  /** The hash of a new password that follows the policy (400 otherwise). */
  async hashChecked(tenantId: string | null, password: string, email?: string): Promise<string> {
    await this.assert(tenantId, password, email);
    return this.hasher.hash(password);
  }
}
