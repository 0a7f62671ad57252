import { Injectable } from '@nestjs/common';
import { Actor, AuditService, Clock, Db, Secrets, TenantScope } from '@app/core';
import { ProvisioningErrors } from './errors';
import { failureOf, LdapDirectory, LdapTarget } from './ldap-directory';
import { ConnectorRow, ProvisioningRepository } from './provisioning.repository';
import type { DisableMode, GroupMapping, TestStep } from './types';
import { ConnectorTestView, ConnectorView } from './views';

export interface SaveConnector {
  url: string;
  bindDn: string;
  /** Kept as it is when omitted (an update); required the first time. */
  bindSecret?: string;
  baseDn: string;
  disableMode: DisableMode;
  lockAttribute?: string;
  /** PEM; null removes it, omitted keeps it. */
  caCertificate?: string | null;
  groups: GroupMapping[];
  autoCorrect: boolean;
}

const toView = (c: ConnectorRow): ConnectorView => ({
  url: c.url, bindDn: c.bindDn, hasBindSecret: true, baseDn: c.baseDn, disableMode: c.disableMode, lockAttribute: c.lockAttribute,
  hasCaCertificate: c.caCertificate !== null, groups: c.groupMap, autoCorrect: c.autoCorrect, updatedAt: c.updatedAt.toISOString(),
});

/** R-PROV the establishment's LDAP connector, set by the DSI; the bind password is stored encrypted and never shown. */
@Injectable()
export class ConnectorService {
  constructor(
    private readonly db: Db,
    private readonly repo: ProvisioningRepository,
    private readonly secrets: Secrets,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async get(scope: TenantScope): Promise<ConnectorView> {
    const connector = await this.repo.connector(scope.tenantId);
    if (!connector) throw ProvisioningErrors.error('DIRECTORY_NOT_CONFIGURED');
    return toView(connector);
  }

  async save(actor: Actor, scope: TenantScope, input: SaveConnector): Promise<ConnectorView> {
    return this.db.transaction(async () => {
      // R-INT locked before it is read: a save without a new secret never writes back a secret another save just changed.
      const before = await this.repo.connectorForUpdate(scope.tenantId);
      if (!before && !input.bindSecret) {
        throw ProvisioningErrors.error('DIRECTORY_SECRET_REQUIRED');
      }
      const known = await this.repo.resourcesAmong(scope.tenantId, input.groups.map((g) => g.resourceId));
      const unknown = input.groups.find((g) => !known.has(g.resourceId));
      if (unknown) throw ProvisioningErrors.error('DIRECTORY_UNKNOWN_RESOURCE', undefined, { resourceId: unknown.resourceId });
      const row = {
        tenantId: scope.tenantId, url: input.url.trim(), bindDn: input.bindDn.trim(), baseDn: input.baseDn.trim(),
        bindSecretEnc: input.bindSecret ? this.secrets.encrypt(input.bindSecret) : before!.bindSecretEnc,
        disableMode: input.disableMode, lockAttribute: input.lockAttribute?.trim() || 'pwdAccountLockedTime',
        caCertificate: input.caCertificate === undefined ? before?.caCertificate ?? null : input.caCertificate,
        groupMap: input.groups.map((g) => ({ resourceId: g.resourceId, groupDn: g.groupDn.trim() })), autoCorrect: input.autoCorrect,
      };
      await this.repo.saveConnector(row, actor.id, this.clock.now());
      const { bindSecretEnc: _sealed, caCertificate: _ca, ...shown } = row;
      await this.audit.record({
        tenantId: scope.tenantId, actor, action: 'directory.connector_saved', targetType: 'tenant', targetId: scope.tenantId,
        after: { ...shown, bindSecretChanged: Boolean(input.bindSecret), caCertificate: row.caCertificate !== null },
      });
      return toView((await this.repo.connector(scope.tenantId))!);
    });
  }

  /** The stored connector, ready to open (secret decrypted); null when the establishment has none. */
  async target(tenantId: string): Promise<(LdapTarget & { groupMap: GroupMapping[]; autoCorrect: boolean }) | null> {
    const c = await this.repo.connector(tenantId);
    if (!c) return null;
    return { ...c, bindSecret: this.secrets.decrypt(c.bindSecretEnc) };
  }

  /** R-PROV tries the stored connector step by step and says what failed, with the directory's own words. */
  async test(scope: TenantScope): Promise<ConnectorTestView> {
    const target = await this.target(scope.tenantId);
    if (!target) throw ProvisioningErrors.error('DIRECTORY_NOT_CONFIGURED');
    const steps: ConnectorTestView['steps'] = [];
    const fail = (step: TestStep, detail: string) => {
      steps.push({ step, ok: false, detail });
      return { ok: false, steps };
    };
    let dir: LdapDirectory;
    try {
      dir = await LdapDirectory.open(target);
    } catch (error) {
      const failure = failureOf(error);
      return failure.kind === 'refused' ? (steps.push({ step: 'connect', ok: true, detail: null }), fail('bind', failure.message))
        : fail('connect', failure.message);
    }
    try {
      steps.push({ step: 'connect', ok: true, detail: null }, { step: 'bind', ok: true, detail: null });
      if (!(await dir.exists(target.baseDn))) return fail('base', `The contractor base ${target.baseDn} does not exist`);
      steps.push({ step: 'base', ok: true, detail: null });
      const missing = [];
      for (const g of new Set(target.groupMap.map((m) => m.groupDn))) if (!(await dir.exists(g))) missing.push(g);
      if (missing.length) return fail('groups', `These groups do not exist: ${missing.join('; ')}`);
      steps.push({ step: 'groups', ok: true, detail: null });
      return { ok: true, steps };
    } catch (error) {
      return fail(steps.length === 2 ? 'base' : 'groups', failureOf(error).message);
    } finally {
      await dir.close();
    }
  }
}
