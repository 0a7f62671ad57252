import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { Actor, AuditService, Db, FieldError, fieldErrors, NotFoundError, Role, TenantScope, ValidationFailed } from '@app/core';
import { TenantEntity } from '../entities';
import { IdentityErrors } from '../errors';
import { PresetName, presetPolicy, TenantPolicy } from '../policy/tenant-policy';
import { UserView } from '../users/user.mapper';
import { UsersService } from '../users/users.service';
import { TenantsRepository } from './tenants.repository';

export interface CreateTenant {
  name: string;
  preset: PresetName;
  admin: { email: string; firstName: string; lastName: string };
}

/** An establishment as other libraries see it: who it is, not its policy (`TenantsService.policyOf`). */
export interface TenantView {
  id: string;
  name: string;
  preset: string;
  createdAt: Date;
}

const toTenantView = (t: TenantEntity): TenantView => ({ id: t.id, name: t.name, preset: t.preset, createdAt: t.createdAt });

/** R-POL: establishments and their policy. Created by the platform admin with a preset. */
@Injectable()
export class TenantsService {
  constructor(
    private readonly db: Db,
    private readonly tenants: TenantsRepository,
    private readonly users: UsersService,
    private readonly audit: AuditService,
  ) {}

  async create(actor: Actor, input: CreateTenant): Promise<{ tenant: TenantView; admin: UserView }> {
    return this.db.transaction(async () => {
      if (await this.tenants.nameTaken(input.name)) {
        throw IdentityErrors.error('TENANT_EXISTS', { name: input.name });
      }
      const policy = presetPolicy(input.preset);
      const tenant = await this.tenants.create({ name: input.name, preset: input.preset, policy });
      await this.audit.record({
        tenantId: null, actor, action: 'tenant.created', targetType: 'tenant', targetId: tenant.id,
        after: { name: tenant.name, preset: tenant.preset },
      });
      await this.audit.record({
        tenantId: tenant.id, actor, action: 'tenant.created', targetType: 'tenant', targetId: tenant.id,
        after: { name: tenant.name, preset: tenant.preset, policy },
      });
      const admin = await this.users.invite(actor, { tenantId: tenant.id }, { ...input.admin, roles: [Role.Dsi] });
      return { tenant: toTenantView(tenant), admin };
    });
  }

  async findById(id: string): Promise<TenantView | null> {
    const tenant = await this.tenants.findById(id);
    return tenant && toTenantView(tenant);
  }

  /** The stored policy over today's defaults (an unknown tenant gets the defaults): thresholds, hours, time zone. */
  policyOf(tenantId: string): Promise<TenantPolicy> {
    return this.tenants.policyOf(tenantId);
  }

  async getPolicy(scope: TenantScope): Promise<TenantPolicy> {
    await this.requireTenant(scope.tenantId);
    return this.tenants.policyOf(scope.tenantId);
  }

  /** Deep-merges the patch over the current policy, validates the whole, and keeps R-POL floors. */
  async updatePolicy(actor: Actor, scope: TenantScope, patch: Record<string, unknown>): Promise<TenantPolicy> {
    return this.db.transaction(async () => {
      const before = await this.getPolicy(scope);
      const merged = plainToInstance(TenantPolicy, deepMerge(JSON.parse(JSON.stringify(before)), patch));
      const errors = fieldErrors(validateSync(merged, { whitelist: true, forbidNonWhitelisted: true }));
      if (merged.logRetentionMonths < merged.logRetentionFloorMonths) {
        const message = IdentityErrors.text('RETENTION_BELOW_FLOOR', { months: merged.logRetentionFloorMonths });
        errors.push({ field: 'logRetentionMonths', message });
      }
      errors.push(...orderErrors(merged, errors));
      if (errors.length) throw new ValidationFailed(IdentityErrors.text('POLICY_INVALID'), errors);
      await this.tenants.savePolicy(scope.tenantId, merged);
      await this.audit.record({
        tenantId: scope.tenantId, actor, action: 'tenant.policy_updated', targetType: 'tenant', targetId: scope.tenantId,
        before, after: merged,
      });
      return merged;
    });
  }

  private async requireTenant(id: string): Promise<TenantEntity> {
    const tenant = await this.tenants.findById(id);
    if (!tenant) throw new NotFoundError('Tenant');
    return tenant;
  }
}

function deepMerge(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(patch)) {
    const current = target[key];
    if (value && typeof value === 'object' && !Array.isArray(value) && current && typeof current === 'object' && !Array.isArray(current)) {
      target[key] = deepMerge({ ...(current as Record<string, unknown>) }, value as Record<string, unknown>);
    } else {
      target[key] = value;
    }
  }
  return target;
}

/**
 * R-ART36 R-POL a day whose business hours end before they start, or a blackout that ends before it
 * begins, would silently flag nothing: refused, naming the end. Checked only on a part that is
 * otherwise valid (well-formed objects and dates).
 */
function orderErrors(policy: TenantPolicy, found: { field: string }[]): FieldError[] {
  const valid = (part: string) => !found.some((e) => e.field === part || e.field.startsWith(`${part}.`));
  const errors: FieldError[] = [];
  const hours = policy.businessHours;
  if (valid('businessHours') && hours.end <= hours.start) {
    errors.push({ field: 'businessHours.end', message: IdentityErrors.text('END_BEFORE_START', { start: hours.start }) });
  }
  if (valid('blackouts')) {
    policy.blackouts.forEach((blackout, i) => {
      if (Date.parse(blackout.to) <= Date.parse(blackout.from)) {
        errors.push({ field: `blackouts.${i}.to`, message: IdentityErrors.text('END_BEFORE_START', { start: blackout.from }) });
      }
    });
  }
  return errors;
}
