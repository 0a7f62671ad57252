import { sqlMigration } from './sql-migration';

/**
 * R-SSO hospital staff sign in through their establishment's OpenID provider: one provider per establishment (client
 * secret encrypted), the pending sign-ins (state, nonce, PKCE verifier; single use) and the tickets the callback hands
 * the console (single use, short-lived, good only in the browser that started). No person is ever created by signing in.
 */
export const SsoProviders1763900000200 = sqlMigration('SsoProviders1763900000200', `
      CREATE TABLE sso_providers (
        tenant_id uuid PRIMARY KEY REFERENCES tenants(id),
        enabled boolean NOT NULL,
        issuer text NOT NULL,
        client_id text NOT NULL,
        client_secret_enc text NOT NULL,
        email_domains text[] NOT NULL,
        mfa_claim text NOT NULL CHECK (mfa_claim IN ('amr', 'acr')),
        mfa_values text[] NOT NULL,
        contractor_ids uuid[] NOT NULL DEFAULT '{}',
        updated_by uuid,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX sso_providers_domains_idx ON sso_providers USING gin (email_domains) WHERE enabled;
      CREATE TABLE sso_attempts (
        state_hash text PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        nonce text NOT NULL,
        code_verifier_enc text NOT NULL,
        browser_hash text NOT NULL,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX sso_attempts_expiry_idx ON sso_attempts (expires_at);
      CREATE TABLE sso_tickets (
        ticket_hash text PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users(id),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        browser_hash text NOT NULL,
        provider_mfa boolean NOT NULL,
        claims jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX sso_tickets_expiry_idx ON sso_tickets (expires_at);
    `, `
      DROP TABLE sso_tickets;
      DROP TABLE sso_attempts;
      DROP TABLE sso_providers;
    `);
