import { CREDENTIAL_COLUMNS, ID, refuseChanges, sqlMigration, TENANT } from './sql-migration';

/** Tenants, people and their sign-in (R-ART28), API keys, audit chain (R-AUD), outbox (R-NOT). */
export const Foundation1763900000000 = sqlMigration('Foundation1763900000000', `
      CREATE TABLE tenants (
        ${ID},
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        preset text NOT NULL,
        policy jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX tenants_name_key ON tenants (lower(name));

      CREATE TABLE users (
        ${ID},
        tenant_id uuid REFERENCES tenants(id),
        contractor_id uuid,
        email text NOT NULL,
        first_name text NOT NULL,
        last_name text NOT NULL,
        roles text[] NOT NULL,
        status text NOT NULL CHECK (status IN ('invited', 'active', 'suspended', 'deactivated')),
        locale text NOT NULL DEFAULT 'fr' CHECK (locale IN ('fr', 'en')),
        ${CREDENTIAL_COLUMNS},
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (tenant_id IS NOT NULL OR roles = ARRAY['platform_admin'])
      );
      CREATE UNIQUE INDEX users_email_key ON users (lower(email));
      CREATE INDEX users_tenant_idx ON users (tenant_id, created_at, id);

      CREATE TABLE recovery_codes (
        ${ID},
        user_id uuid NOT NULL REFERENCES users(id),
        code_hash text NOT NULL,
        used_at timestamptz,
        UNIQUE (user_id, code_hash)
      );

      CREATE TABLE invitations (
        ${ID},
        user_id uuid NOT NULL REFERENCES users(id),
        token_hash text NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE auth_sessions (
        ${ID},
        user_id uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoked_reason text,
        ip text,
        user_agent text
      );
      CREATE INDEX auth_sessions_user_idx ON auth_sessions (user_id) WHERE revoked_at IS NULL;

      CREATE TABLE refresh_tokens (
        ${ID},
        session_id uuid NOT NULL REFERENCES auth_sessions(id),
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        used_at timestamptz
      );

      CREATE TABLE api_keys (
        ${ID}, ${TENANT},
        name text NOT NULL,
        scopes text[] NOT NULL,
        prefix text NOT NULL,
        key_hash text NOT NULL UNIQUE,
        created_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        last_used_at timestamptz
      );
      CREATE INDEX api_keys_tenant_idx ON api_keys (tenant_id);

      CREATE TABLE audit_heads (
        chain_key uuid PRIMARY KEY,
        last_seq bigint NOT NULL,
        last_hash text NOT NULL
      );
      CREATE TABLE audit_events (
        ${ID},
        chain_key uuid NOT NULL,
        tenant_id uuid,
        seq bigint NOT NULL,
        occurred_at timestamptz NOT NULL,
        actor_type text NOT NULL,
        actor_id uuid,
        actor_label text,
        action text NOT NULL,
        target_type text NOT NULL,
        target_id text,
        before jsonb,
        after jsonb,
        prev_hash text NOT NULL,
        hash text NOT NULL,
        UNIQUE (chain_key, seq)
      );
      CREATE INDEX audit_events_tenant_time_idx ON audit_events (tenant_id, occurred_at DESC, seq DESC);
      CREATE INDEX audit_events_target_idx ON audit_events (tenant_id, target_type, target_id);

      -- R-AUD: the application may only append. Changing history needs a superuser who disables this
      -- trigger first, and the hash chain still shows it.
      ${refuseChanges('audit_events', 'audit_events_append_only', 'audit_events_no_update', 'audit_events is append-only')}

      CREATE TABLE outbox (
        ${ID},
        tenant_id uuid,
        job text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        available_at timestamptz NOT NULL DEFAULT now(),
        relayed_at timestamptz,
        delivered_at timestamptz,
        attempts integer NOT NULL DEFAULT 0,
        last_error text
      );
      CREATE INDEX outbox_due_idx ON outbox (available_at) WHERE delivered_at IS NULL;
      CREATE INDEX outbox_undelivered_idx ON outbox (created_at) WHERE delivered_at IS NULL;
    `, `
      DROP TABLE outbox; DROP TABLE audit_events; DROP FUNCTION audit_events_append_only();
      DROP TABLE audit_heads; DROP TABLE api_keys; DROP TABLE refresh_tokens; DROP TABLE auth_sessions;
      DROP TABLE invitations; DROP TABLE recovery_codes; DROP TABLE users; DROP TABLE tenants;
    `);
