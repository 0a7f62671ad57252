import { Injectable } from '@nestjs/common';
import { bindTo, Db, Keyset, TenantScope } from '@app/core';
import type { DisableMode, DriftKind, GroupMapping, Wanted } from './types';

/** A directory_connectors row, camelCased (the secret still sealed). */
export interface ConnectorRow {
  tenantId: string;
  url: string;
  bindDn: string;
  bindSecretEnc: string;
  baseDn: string;
  disableMode: DisableMode;
  lockAttribute: string;
  caCertificate: string | null;
  groupMap: GroupMapping[];
  autoCorrect: boolean;
  updatedAt: Date;
}

/** An account as the directory should show it (R-PROV): its person, status and in-force habilitations. */
export interface AccountFacts {
  accountId: string;
  contractorId: string;
  status: string;
  email: string;
  firstName: string;
  lastName: string;
  resourceIds: string[];
}

export interface EntryRow {
  accountId: string;
  dn: string | null;
  state: 'in_step' | 'failed';
  message: string | null;
  applied: Wanted;
  syncedAt: Date;
}

export interface DriftRow {
  id: string;
  kind: DriftKind;
  dn: string;
  groupDn: string;
  accountId: string | null;
  detectedAt: Date;
  correctedAt: Date | null;
  resolvedAt: Date | null;
}

export const DRIFTS_NEWEST = new Keyset('DESC', [['at', 'd.detected_at', 'instant'], ['id', 'd.id', 'uuid']]);

const CONNECTOR = `tenant_id AS "tenantId", url, bind_dn AS "bindDn", bind_secret_enc AS "bindSecretEnc", base_dn AS "baseDn",
  disable_mode AS "disableMode", lock_attribute AS "lockAttribute", ca_certificate AS "caCertificate", group_map AS "groupMap",
  auto_correct AS "autoCorrect", updated_at AS "updatedAt"`;
const DRIFT = `d.id, d.kind, d.dn, d.group_dn AS "groupDn", d.account_id AS "accountId", d.detected_at AS "detectedAt",
  d.corrected_at AS "correctedAt", d.resolved_at AS "resolvedAt"`;

/** R-PROV the connectors, the entries as last applied and the drift found (tables owned by this library). */
@Injectable()
export class ProvisioningRepository {
  constructor(private readonly db: Db) {}

  async connector(tenantId: string): Promise<ConnectorRow | null> {
    const [row] = await this.db.query<ConnectorRow>(`SELECT ${CONNECTOR} FROM directory_connectors WHERE tenant_id = $1`, [tenantId]);
    return row ?? null;
  }

  /** The connector, locked until the transaction ends (a save reads what it keeps, the secret, under this lock). */
  async connectorForUpdate(tenantId: string): Promise<ConnectorRow | null> {
    const [row] = await this.db.query<ConnectorRow>(
      `SELECT ${CONNECTOR} FROM directory_connectors WHERE tenant_id = $1 FOR UPDATE`, [tenantId],
    );
    return row ?? null;
  }

  async connectedTenants(): Promise<string[]> {
    return (await this.db.query<{ id: string }>(`SELECT tenant_id AS id FROM directory_connectors`)).map((r) => r.id);
  }

  async saveConnector(c: Omit<ConnectorRow, 'updatedAt'>, by: string | null, now: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO directory_connectors (tenant_id, url, bind_dn, bind_secret_enc, base_dn, disable_mode, lock_attribute, ca_certificate,
         group_map, auto_correct, updated_by, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (tenant_id) DO UPDATE SET url = $2, bind_dn = $3, bind_secret_enc = $4, base_dn = $5, disable_mode = $6,
         lock_attribute = $7, ca_certificate = $8, group_map = $9, auto_correct = $10, updated_by = $11, updated_at = $12`,
      [c.tenantId, c.url, c.bindDn, c.bindSecretEnc, c.baseDn, c.disableMode, c.lockAttribute, c.caCertificate,
        JSON.stringify(c.groupMap), c.autoCorrect, by, now],
    );
  }

  /** The accounts the directory knows or should know: active, or given an entry once; one account when `accountId` is set. */
  async facts(tenantId: string, today: string, accountId?: string): Promise<AccountFacts[]> {
    return this.db.query<AccountFacts>(
      `SELECT a.id AS "accountId", a.contractor_id AS "contractorId", a.status, a.email, a.first_name AS "firstName",
              a.last_name AS "lastName",
              coalesce(array_agg(DISTINCT h.resource_id::text) FILTER (WHERE h.id IS NOT NULL), '{}') AS "resourceIds"
         FROM accounts a
         LEFT JOIN habilitations h ON h.account_id = a.id AND h.status = 'approved' AND (h.ends_on IS NULL OR h.ends_on >= $2::date)
        WHERE a.tenant_id = $1
          AND ${accountId ? 'a.id = $3' : `(a.status = 'active' OR EXISTS (SELECT 1 FROM directory_entries e WHERE e.account_id = a.id))`}
        GROUP BY a.id`,
      accountId ? [tenantId, today, accountId] : [tenantId, today],
    );
  }

  /** A company's accounts that are active or were given an entry. */
  async accountsOfCompany(tenantId: string, contractorId: string): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      `SELECT a.id FROM accounts a WHERE a.tenant_id = $1 AND a.contractor_id = $2
          AND (a.status = 'active' OR EXISTS (SELECT 1 FROM directory_entries e WHERE e.account_id = a.id))`, [tenantId, contractorId],
    );
    return rows.map((r) => r.id);
  }

  /** The ids among `ids` that are accounts of this establishment. */
  async accountsAmong(tenantId: string, ids: string[]): Promise<Set<string>> {
    const uuids = ids.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
    const rows = await this.db.query<{ id: string }>(`SELECT id FROM accounts WHERE tenant_id = $1 AND id = ANY($2::uuid[])`,
      [tenantId, uuids]);
    return new Set(rows.map((r) => r.id));
  }

  /** The ids among `ids` that are resources of this establishment's catalogue. */
  async resourcesAmong(tenantId: string, ids: string[]): Promise<Set<string>> {
    const uuids = ids.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
    const rows = await this.db.query<{ id: string }>(`SELECT id FROM resources WHERE tenant_id = $1 AND id = ANY($2::uuid[])`,
      [tenantId, uuids]);
    return new Set(rows.map((r) => r.id));
  }

  /** Serialises the syncs of one account (inside the caller's transaction): two jobs never interleave their writes. */
  async lockAccount(accountId: string): Promise<void> {
    await this.db.query(`SELECT pg_advisory_xact_lock(hashtext('directory:' || $1))`, [accountId]);
  }

  async entry(accountId: string): Promise<EntryRow | null> {
    const [row] = await this.db.query<EntryRow>(
      `SELECT account_id AS "accountId", dn, state, message, applied, synced_at AS "syncedAt" FROM directory_entries WHERE account_id = $1`,
      [accountId],
    );
    return row ?? null;
  }

  async entries(tenantId: string): Promise<EntryRow[]> {
    return this.db.query<EntryRow>(
      `SELECT account_id AS "accountId", dn, state, message, applied, synced_at AS "syncedAt" FROM directory_entries WHERE tenant_id = $1`,
      [tenantId],
    );
  }

  async saveEntry(tenantId: string, e: Omit<EntryRow, 'syncedAt'>, now: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO directory_entries (account_id, tenant_id, dn, state, message, applied, synced_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (account_id) DO UPDATE SET dn = coalesce($3, directory_entries.dn), state = $4, message = $5,
         applied = CASE WHEN $4 = 'in_step' THEN $6::jsonb ELSE directory_entries.applied END, synced_at = $7`,
      [e.accountId, tenantId, e.dn, e.state, e.message, JSON.stringify(e.applied), now],
    );
  }

  /** Sync requests of this account still waiting in the outbox (the entry is then "pending"). */
  async waiting(accountId: string): Promise<number> {
    const [row] = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox WHERE job = 'directory.sync' AND delivered_at IS NULL AND payload->>'accountId' = $1`,
      [accountId],
    );
    return row.n;
  }

  /** Records a drift still open once; returns it when it is new. */
  async openDrift(tenantId: string, d: { kind: DriftKind; dn: string; groupDn: string; accountId: string | null }, now: Date)
    : Promise<DriftRow | null> {
    const [row] = await this.db.query<DriftRow>(
      `INSERT INTO directory_drifts AS d (tenant_id, kind, dn, group_dn, account_id, detected_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (tenant_id, kind, lower(dn), lower(group_dn)) WHERE resolved_at IS NULL DO NOTHING RETURNING ${DRIFT}`,
      [tenantId, d.kind, d.dn, d.groupDn, d.accountId, now],
    );
    return row ?? null;
  }

  async openDrifts(tenantId: string): Promise<DriftRow[]> {
    return this.db.query<DriftRow>(`SELECT ${DRIFT} FROM directory_drifts d WHERE d.tenant_id = $1 AND d.resolved_at IS NULL`, [tenantId]);
  }

  async markCorrected(ids: string[], now: Date): Promise<void> {
    if (ids.length) await this.db.query(`UPDATE directory_drifts SET corrected_at = $2 WHERE id = ANY($1::uuid[])`, [ids, now]);
  }

  /** Drift no longer seen (corrected, by hand or automatically): closed. */
  async resolve(ids: string[], now: Date): Promise<void> {
    if (ids.length) await this.db.query(`UPDATE directory_drifts SET resolved_at = $2 WHERE id = ANY($1::uuid[])`, [ids, now]);
  }

  async listDrifts(scope: TenantScope, open: boolean, page: { limit: number; cursor?: string }): Promise<DriftRow[]> {
    const params: unknown[] = [scope.tenantId];
    const bind = bindTo(params);
    return this.db.query<DriftRow>(
      `SELECT ${DRIFT} FROM directory_drifts d WHERE d.tenant_id = $1 ${open ? 'AND d.resolved_at IS NULL' : ''}
          AND ${DRIFTS_NEWEST.after(page.cursor, bind)} ORDER BY ${DRIFTS_NEWEST.orderBy} LIMIT ${bind(page.limit + 1)}`,
      params,
    );
  }
}
