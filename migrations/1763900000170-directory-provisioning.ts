import { ID, sqlMigration, TENANT } from './sql-migration';

/**
 * R-PROV the hospital's directory kept in step: one LDAP connector per establishment (bind secret encrypted),
 * the state of each account's entry as last applied, and the drift found by reconciliation for the RSSI.
 */
export const DirectoryProvisioning1763900000170 = sqlMigration('DirectoryProvisioning1763900000170', `
      CREATE TABLE directory_connectors (
        tenant_id uuid PRIMARY KEY REFERENCES tenants(id),
        url text NOT NULL,
        bind_dn text NOT NULL,
        bind_secret_enc text NOT NULL,
        base_dn text NOT NULL,
        disable_mode text NOT NULL CHECK (disable_mode IN ('openldap-lock', 'ad-uac')),
        lock_attribute text NOT NULL,
        ca_certificate text,
        group_map jsonb NOT NULL DEFAULT '[]',
        auto_correct boolean NOT NULL DEFAULT false,
        updated_by uuid,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE directory_entries (
        account_id uuid PRIMARY KEY REFERENCES accounts(id),
        ${TENANT},
        dn text,
        state text NOT NULL CHECK (state IN ('in_step', 'failed')),
        message text,
        applied jsonb NOT NULL DEFAULT '{"enabled": false, "groups": []}',
        synced_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX directory_entries_tenant_idx ON directory_entries (tenant_id);
      CREATE TABLE directory_drifts (
        ${ID},
        ${TENANT},
        kind text NOT NULL CHECK (kind IN ('enabled_inactive', 'group_without_habilitation', 'unknown_entry')),
        dn text NOT NULL,
        group_dn text NOT NULL DEFAULT '',
        account_id uuid REFERENCES accounts(id),
        detected_at timestamptz NOT NULL DEFAULT now(),
        corrected_at timestamptz,
        resolved_at timestamptz
      );
      CREATE UNIQUE INDEX directory_drifts_open_key ON directory_drifts (tenant_id, kind, lower(dn), lower(group_dn)) WHERE resolved_at IS NULL;
      CREATE INDEX directory_drifts_list_idx ON directory_drifts (tenant_id, detected_at DESC, id DESC);
      CREATE INDEX outbox_directory_sync_idx ON outbox ((payload->>'accountId')) WHERE job = 'directory.sync' AND delivered_at IS NULL;
    `, `
      DROP INDEX outbox_directory_sync_idx;
      DROP TABLE directory_drifts;
      DROP TABLE directory_entries;
      DROP TABLE directory_connectors;
    `);
