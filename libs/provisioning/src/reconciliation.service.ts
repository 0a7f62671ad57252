import { Injectable, Logger } from '@nestjs/common';
import { AuditService, Clock, Db, DomainEvents, Page, PageQuery, SYSTEM_ACTOR, TenantScope } from '@app/core';
import { ConnectorService } from './connector.service';
import { ProvisioningErrors } from './errors';
import './events';
import { failureOf, LdapDirectory, normalDn } from './ldap-directory';
import { DRIFTS_NEWEST, ProvisioningRepository } from './provisioning.repository';
import type { DriftKind, GroupMapping } from './types';
import { DriftView, ReconciliationView, toDriftView } from './views';
import { WantedState } from './wanted-state';

interface Found {
  kind: DriftKind;
  dn: string;
  groupDn: string;
  accountId: string | null;
}

/**
 * R-PROV reconciliation: the directory compared with Prestagate. An enabled entry of an account that is not active,
 * a group member without an approved habilitation, an enabled entry under the base that no account explains: each is a
 * drift for the RSSI (directory_drifts), corrected at once when the establishment chose automatic correction.
 */
@Injectable()
export class ReconciliationService {
  private readonly log = new Logger('Reconciliation');

  constructor(
    private readonly db: Db,
    private readonly repo: ProvisioningRepository,
    private readonly connectors: ConnectorService,
    private readonly wantedState: WantedState,
    private readonly events: DomainEvents,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Every establishment with a connector (the hourly job); one that fails is logged and the others go on. */
  async all(): Promise<void> {
    for (const tenantId of await this.repo.connectedTenants()) {
      await this.run({ tenantId }).catch((error: Error) => this.log.warn(`Reconciliation of ${tenantId} failed: ${error.message}`));
    }
  }

  async run(scope: TenantScope): Promise<ReconciliationView> {
    const target = await this.connectors.target(scope.tenantId);
    if (!target) throw ProvisioningErrors.error('DIRECTORY_NOT_CONFIGURED');
    let dir: LdapDirectory;
    try {
      dir = await LdapDirectory.open(target);
    } catch (error) {
      throw ProvisioningErrors.error('DIRECTORY_UNREACHABLE', { message: failureOf(error).message });
    }
    let found: Found[];
    try {
      found = await this.compare(dir, scope.tenantId, target.baseDn, target.groupMap);
      if (target.autoCorrect) await this.correct(dir, found);
    } catch (error) {
      throw ProvisioningErrors.error('DIRECTORY_UNREACHABLE', { message: failureOf(error).message });
    } finally {
      await dir.close();
    }
    return this.record(scope.tenantId, found, target.autoCorrect);
  }

  /** The drift for the RSSI, newest first; `open` only what is still in the directory. */
  async list(scope: TenantScope, open: boolean, page: PageQuery): Promise<Page<DriftView>> {
    const rows = await this.repo.listDrifts(scope, open, page);
    return DRIFTS_NEWEST.page(rows, page.limit, toDriftView, (d) => ({ at: d.detectedAt, id: d.id }));
  }

  private async compare(dir: LdapDirectory, tenantId: string, baseDn: string, groupMap: GroupMapping[]): Promise<Found[]> {
    const wanted = await this.wantedState.of(tenantId, groupMap);
    const entries = await dir.list();
    const known = await this.repo.accountsAmong(tenantId, entries.flatMap((e) => (e.accountId ? [e.accountId] : [])));
    const found: Found[] = [];
    const accountOfDn = new Map<string, string>();
    for (const e of entries) {
      const accountId = e.accountId && known.has(e.accountId) ? e.accountId : null;
      if (accountId) accountOfDn.set(normalDn(e.dn), accountId);
      if (!e.enabled) continue;
      if (!accountId) found.push({ kind: 'unknown_entry', dn: e.dn, groupDn: '', accountId: null });
      else if (!wanted.get(accountId)?.wanted.enabled) found.push({ kind: 'enabled_inactive', dn: e.dn, groupDn: '', accountId });
    }
    const base = normalDn(baseDn);
    for (const group of new Set(groupMap.map((g) => g.groupDn))) {
      for (const member of await dir.members(group)) {
        if (!normalDn(member).endsWith(`,${base}`)) continue;
        const accountId = accountOfDn.get(normalDn(member)) ?? null;
        const groups = accountId ? wanted.get(accountId)?.wanted.groups.map(normalDn) ?? [] : [];
        if (!groups.includes(normalDn(group))) found.push({ kind: 'group_without_habilitation', dn: member, groupDn: group, accountId });
      }
    }
    return found;
  }

  private async correct(dir: LdapDirectory, found: Found[]): Promise<void> {
    for (const d of found) {
      if (d.kind === 'group_without_habilitation') await dir.removeMember(d.groupDn, d.dn);
      else await dir.setEnabled(d.dn, false);
    }
  }

  /** New drift recorded and announced once; drift no longer seen (or just corrected) closed. */
  private async record(tenantId: string, found: Found[], corrected: boolean): Promise<ReconciliationView> {
    return this.db.transaction(async () => {
      const now = this.clock.now();
      const fresh = [];
      for (const d of found) {
        const row = await this.repo.openDrift(tenantId, d, now);
        if (row) fresh.push(row);
      }
      const open = await this.repo.openDrifts(tenantId);
      const key = (d: { kind: string; dn: string; groupDn: string }) => `${d.kind}|${normalDn(d.dn)}|${normalDn(d.groupDn)}`;
      const seen = new Set(found.map(key));
      const current = open.filter((d) => seen.has(key(d)));
      await this.repo.resolve(open.filter((d) => !seen.has(key(d))).map((d) => d.id), now);
      if (corrected) {
        await this.repo.markCorrected(current.map((d) => d.id), now);
        await this.repo.resolve(current.map((d) => d.id), now);
      }
      if (fresh.length) {
        await this.events.emit('directory.drift_found', { tenantId, corrected,
          drifts: fresh.map((d) => ({ kind: d.kind, dn: d.dn, groupDn: d.groupDn })) });
      }
      if (corrected && current.length) {
        await this.audit.record({ tenantId, actor: SYSTEM_ACTOR, action: 'directory.corrected', targetType: 'tenant', targetId: tenantId,
          after: { drifts: current.map((d) => ({ kind: d.kind, dn: d.dn, groupDn: d.groupDn || null })) } });
      }
      const stamp = corrected ? { correctedAt: now, resolvedAt: now } : {};
      return { drifts: current.map((d) => toDriftView({ ...d, ...stamp })), corrected: corrected ? current.length : 0 };
    });
  }
}
