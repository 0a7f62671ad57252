import { byAt, ID, sqlMigration, TENANT } from './sql-migration';

/**
 * Nominative accounts and their lifecycle (R-ART28), resources and habilitations (R-ART31),
 * departures (R-ART35), incidents (R-ART5) and the derogations register (R-ART16-27).
 */
export const AccountsScopesDerogations1763900000002 = sqlMigration('AccountsScopesDerogations1763900000002', `
      CREATE TABLE derogations (
        ${ID}, ${TENANT},
        kind text NOT NULL CHECK (kind IN ('equipment', 'remote_control_tool', 'shared_account', 'log_deletion')),
        contractor_id uuid REFERENCES contractors(id),
        scope text NOT NULL,
        justification text NOT NULL,
        valid_from timestamptz NOT NULL,
        valid_until timestamptz NOT NULL,
        author_id uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        revoked_by uuid REFERENCES users(id),
        revoke_reason text,
        CHECK (valid_until > valid_from)
      );
      CREATE INDEX derogations_lookup_idx ON derogations (tenant_id, kind, valid_until) WHERE revoked_at IS NULL;

      CREATE TABLE accounts (
        ${ID}, ${TENANT},
        contractor_id uuid NOT NULL REFERENCES contractors(id),
        user_id uuid REFERENCES users(id),
        first_name text NOT NULL,
        last_name text NOT NULL,
        email text NOT NULL,
        phone text NOT NULL,
        shared boolean NOT NULL DEFAULT false,
        derogation_id uuid REFERENCES derogations(id),
        status text NOT NULL CHECK (status IN ('requested', 'approved', 'active', 'suspended', 'deactivated', 'rejected')),
        ${byAt('requested', ' NOT NULL')}, ${byAt('approved')},
        activated_at timestamptz,
        suspended_at timestamptz,
        suspension_kind text CHECK (suspension_kind IN ('manual', 'absence', 'inactivity', 'incident', 'review', 'departure')),
        suspension_reason text,
        resume_on date,
        deactivated_at timestamptz,
        deactivation_reason text,
        CHECK (NOT shared OR derogation_id IS NOT NULL)
      );
      -- R-ART28: one living account per person (e-mail) in a tenant.
      CREATE UNIQUE INDEX accounts_person_key ON accounts (tenant_id, lower(email)) WHERE status NOT IN ('deactivated', 'rejected');
      CREATE INDEX accounts_contractor_idx ON accounts (contractor_id, status);
      CREATE INDEX accounts_user_idx ON accounts (user_id) WHERE user_id IS NOT NULL;
      CREATE INDEX accounts_resume_idx ON accounts (resume_on) WHERE status = 'suspended' AND resume_on IS NOT NULL;

      CREATE TABLE resources (
        ${ID}, ${TENANT},
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('application', 'server', 'medical_device', 'network_equipment', 'other')),
        criticality text NOT NULL CHECK (criticality IN ('low', 'medium', 'high', 'critical')),
        external_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, name)
      );
      CREATE UNIQUE INDEX resources_external_id_key ON resources (tenant_id, external_id) WHERE external_id IS NOT NULL;

      CREATE TABLE habilitations (
        ${ID}, ${TENANT},
        account_id uuid NOT NULL REFERENCES accounts(id),
        resource_id uuid NOT NULL REFERENCES resources(id),
        access_type text NOT NULL CHECK (access_type IN ('remote', 'onsite')),
        level text NOT NULL CHECK (level IN ('read', 'operate', 'admin')),
        ends_on date,
        status text NOT NULL CHECK (status IN ('requested', 'approved', 'rejected', 'revoked')),
        ${byAt('requested', ' NOT NULL')}, ${byAt('decided')},
        revoked_at timestamptz,
        reason text
      );
      CREATE INDEX habilitations_account_idx ON habilitations (account_id, resource_id, access_type) WHERE status = 'approved';

      CREATE TABLE departures (
        ${ID}, ${TENANT},
        contractor_id uuid NOT NULL REFERENCES contractors(id),
        account_id uuid NOT NULL REFERENCES accounts(id),
        first_name text NOT NULL,
        last_name text NOT NULL,
        effective_on date NOT NULL,
        declared_by uuid REFERENCES users(id),
        declared_at timestamptz NOT NULL,
        applied_at timestamptz
      );
      CREATE INDEX departures_due_idx ON departures (effective_on) WHERE applied_at IS NULL;

      CREATE TABLE incidents (
        ${ID}, ${TENANT},
        contractor_id uuid REFERENCES contractors(id),
        account_id uuid REFERENCES accounts(id),
        kind text NOT NULL CHECK (kind IN ('threat', 'vulnerability', 'theft', 'compromise', 'other')),
        description text NOT NULL,
        reported_by uuid NOT NULL REFERENCES users(id),
        reported_at timestamptz NOT NULL,
        account_suspended boolean NOT NULL DEFAULT false
      );
      CREATE INDEX incidents_tenant_idx ON incidents (tenant_id, reported_at DESC);
    `, `
      DROP TABLE incidents; DROP TABLE departures; DROP TABLE habilitations; DROP TABLE resources;
      DROP TABLE accounts; DROP TABLE derogations;
    `);
