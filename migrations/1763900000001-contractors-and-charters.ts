import { ID, sqlMigration, TENANT } from './sql-migration';

/**
 * Contractor companies, contacts, subcontracting, administrative changes (R-ART3, 4, 6),
 * prestations and data-destruction attestations (R-ART10), charter documents and signatures
 * (R-ART2), a content-addressed file store, and de-duplication keys on the outbox.
 */
export const ContractorsAndCharters1763900000001 = sqlMigration('ContractorsAndCharters1763900000001', `
      ALTER TABLE outbox ADD COLUMN dedupe_key text;
      CREATE UNIQUE INDEX outbox_dedupe_key ON outbox (dedupe_key) WHERE dedupe_key IS NOT NULL;

      CREATE TABLE files (
        sha256 text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        size integer NOT NULL,
        content_type text NOT NULL,
        content bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE contractors (
        ${ID}, ${TENANT},
        legal_name text NOT NULL,
        siret char(14) NOT NULL,
        address text NOT NULL,
        prime_contractor_id uuid REFERENCES contractors(id),
        created_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, siret),
        UNIQUE (tenant_id, id),
        CHECK (prime_contractor_id IS NULL OR prime_contractor_id <> id)
      );
      CREATE INDEX contractors_prime_idx ON contractors (tenant_id, prime_contractor_id);
      CREATE INDEX contractors_list_idx ON contractors (tenant_id, legal_name, id);
      ALTER TABLE users ADD CONSTRAINT users_contractor_fk FOREIGN KEY (contractor_id) REFERENCES contractors(id);
      CREATE INDEX users_contractor_idx ON users (contractor_id) WHERE contractor_id IS NOT NULL;

      -- R-ART3 / section 8: one row per role; the person is also a user who signs in.
      CREATE TABLE contractor_contacts (
        contractor_id uuid NOT NULL REFERENCES contractors(id),
        role text NOT NULL CHECK (role IN ('legal_rep', 'security_contact', 'security_deputy', 'rssi')),
        first_name text NOT NULL,
        last_name text NOT NULL,
        phone text NOT NULL,
        email text NOT NULL,
        function text,
        user_id uuid REFERENCES users(id),
        declared_at timestamptz NOT NULL,
        declared_by uuid REFERENCES users(id),
        PRIMARY KEY (contractor_id, role)
      );

      -- R-ART6: every declared change, with its effective date; nothing is overwritten without a row here.
      CREATE TABLE contractor_changes (
        ${ID},
        seq bigint GENERATED ALWAYS AS IDENTITY,
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        contractor_id uuid NOT NULL REFERENCES contractors(id),
        kind text NOT NULL CHECK (kind IN ('created', 'administrative', 'contacts')),
        changes jsonb NOT NULL,
        previous jsonb,
        effective_on date NOT NULL,
        declared_at timestamptz NOT NULL,
        declared_by uuid REFERENCES users(id),
        applied_at timestamptz
      );
      CREATE INDEX contractor_changes_history_idx ON contractor_changes (contractor_id, seq);
      CREATE INDEX contractor_changes_due_idx ON contractor_changes (effective_on) WHERE applied_at IS NULL;

      CREATE TABLE prestations (
        ${ID}, ${TENANT},
        contractor_id uuid NOT NULL REFERENCES contractors(id),
        title text NOT NULL,
        access_mode text NOT NULL CHECK (access_mode IN ('remote', 'onsite', 'saas')),
        rgpd_subcontractor boolean NOT NULL,
        require_rgpd_clauses boolean NOT NULL DEFAULT false,
        require_security_referential boolean NOT NULL DEFAULT false,
        starts_on date NOT NULL,
        ends_on date,
        ended_at timestamptz,
        ended_by uuid REFERENCES users(id),
        end_reason text,
        attestation_sha256 text REFERENCES files(sha256),
        attestation_filename text,
        attested_at timestamptz,
        attested_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (ends_on IS NULL OR ends_on >= starts_on),
        CHECK (NOT require_rgpd_clauses OR rgpd_subcontractor)
      );
      CREATE INDEX prestations_contractor_idx ON prestations (contractor_id);
      CREATE INDEX prestations_attestation_due_idx ON prestations (ended_at) WHERE ended_at IS NOT NULL AND attested_at IS NULL;

      -- R-ART2: versioned documents of a tenant. A version is withdrawn, never deleted: signatures keep pointing at it.
      CREATE TABLE documents (
        ${ID}, ${TENANT},
        kind text NOT NULL CHECK (kind IN ('charter', 'access_convention', 'rgpd_clauses', 'security_referential')),
        title text NOT NULL,
        version_label text NOT NULL,
        effective_on date NOT NULL,
        resign_deadline date,
        file_sha256 text NOT NULL REFERENCES files(sha256),
        file_size integer NOT NULL,
        filename text NOT NULL,
        created_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        withdrawn_at timestamptz,
        UNIQUE (tenant_id, kind, version_label),
        CHECK (resign_deadline IS NULL OR resign_deadline >= effective_on)
      );
      CREATE INDEX documents_current_idx ON documents (tenant_id, kind, effective_on DESC, created_at DESC) WHERE withdrawn_at IS NULL;

      CREATE TABLE signatures (
        ${ID}, ${TENANT},
        contractor_id uuid NOT NULL REFERENCES contractors(id),
        document_id uuid NOT NULL REFERENCES documents(id),
        account_id uuid,
        signer_first_name text NOT NULL,
        signer_last_name text NOT NULL,
        signer_function text NOT NULL,
        signed_on date NOT NULL,
        all_pages_initialled boolean NOT NULL CHECK (all_pages_initialled),
        file_sha256 text NOT NULL REFERENCES files(sha256),
        file_size integer NOT NULL,
        filename text NOT NULL,
        status text NOT NULL CHECK (status IN ('submitted', 'validated', 'rejected')),
        submitted_by uuid REFERENCES users(id),
        submitted_at timestamptz NOT NULL,
        decided_by uuid REFERENCES users(id),
        decided_at timestamptz,
        reject_reason text,
        CHECK (status = 'submitted' OR decided_at IS NOT NULL),
        CHECK (status <> 'rejected' OR reject_reason IS NOT NULL)
      );
      CREATE INDEX signatures_contractor_idx ON signatures (contractor_id, document_id, submitted_at DESC);
    `, `
      DROP TABLE signatures; DROP TABLE documents; DROP TABLE prestations; DROP TABLE contractor_changes;
      DROP TABLE contractor_contacts; ALTER TABLE users DROP CONSTRAINT users_contractor_fk; DROP TABLE contractors;
      DROP TABLE files; DROP INDEX outbox_dedupe_key; ALTER TABLE outbox DROP COLUMN dedupe_key;
    `);
