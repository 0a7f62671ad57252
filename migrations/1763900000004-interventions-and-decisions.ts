import { byAt, ID, refuseChanges, sqlMigration, TENANT } from './sql-migration';

/**
 * Intervention windows (R-ART36), their referents, intervention reports (R-ART42) and the log of
 * access decisions taken for gateways. Indexes are shaped for the access-decision hot path.
 */
export const InterventionsAndDecisions1763900000004 = sqlMigration('InterventionsAndDecisions1763900000004', `
      CREATE TABLE contractor_referents (
        contractor_id uuid NOT NULL REFERENCES contractors(id),
        user_id uuid NOT NULL REFERENCES users(id),
        designated_by uuid REFERENCES users(id),
        designated_at timestamptz NOT NULL,
        PRIMARY KEY (contractor_id, user_id)
      );

      CREATE TABLE interventions (
        ${ID}, ${TENANT},
        contractor_id uuid NOT NULL REFERENCES contractors(id),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        nature text NOT NULL,
        risks text NOT NULL,
        availability_impact text NOT NULL,
        changes_settings boolean NOT NULL,
        changes_data boolean NOT NULL,
        emergency boolean NOT NULL DEFAULT false,
        justification text,
        status text NOT NULL CHECK (status IN ('requested', 'approved', 'rejected', 'cancelled')),
        emergency_review text CHECK (emergency_review IN ('pending', 'confirmed', 'challenged')),
        usage_conflict boolean NOT NULL,
        usage_override boolean NOT NULL DEFAULT false,
        outside_business_hours boolean NOT NULL,
        report_due_on date NOT NULL,
        ${byAt('requested', ' NOT NULL')}, ${byAt('decided')},
        decision_reason text,
        cancelled_at timestamptz,
        cancel_reason text,
        started_at timestamptz,
        report_filed_at timestamptz,
        CHECK (ends_at > starts_at),
        CHECK (NOT emergency OR justification IS NOT NULL)
      );
      CREATE INDEX interventions_contractor_idx ON interventions (contractor_id, starts_at DESC);
      CREATE INDEX interventions_report_due_idx ON interventions (report_due_on) WHERE status = 'approved' AND report_filed_at IS NULL;

      CREATE TABLE intervention_accounts (
        intervention_id uuid NOT NULL REFERENCES interventions(id),
        account_id uuid NOT NULL REFERENCES accounts(id),
        PRIMARY KEY (intervention_id, account_id)
      );
      CREATE INDEX intervention_accounts_account_idx ON intervention_accounts (account_id, intervention_id);

      CREATE TABLE intervention_resources (
        intervention_id uuid NOT NULL REFERENCES interventions(id),
        resource_id uuid NOT NULL REFERENCES resources(id),
        PRIMARY KEY (intervention_id, resource_id)
      );

      -- R-ART42: a submitted report is never changed; a correction is a new version.
      CREATE TABLE intervention_reports (
        ${ID}, ${TENANT},
        intervention_id uuid NOT NULL REFERENCES interventions(id),
        version integer NOT NULL,
        operations text NOT NULL,
        intervenants text[] NOT NULL,
        actions text NOT NULL,
        difficulties text NOT NULL,
        referents_informed text[] NOT NULL,
        submitted_by uuid REFERENCES users(id),
        submitted_at timestamptz NOT NULL,
        UNIQUE (intervention_id, version)
      );
      ${refuseChanges('intervention_reports', 'intervention_reports_immutable', 'intervention_reports_no_update', 'intervention reports are immutable; file a new version')}

      CREATE TABLE access_decisions (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        tenant_id uuid NOT NULL,
        api_key_id uuid,
        decided_at timestamptz NOT NULL,
        at timestamptz NOT NULL,
        account_ref text NOT NULL,
        resource_ref text NOT NULL,
        account_id uuid,
        resource_id uuid,
        decision text NOT NULL CHECK (decision IN ('allow', 'deny')),
        reasons text[] NOT NULL,
        intervention_id uuid,
        valid_until timestamptz
      );
      CREATE INDEX access_decisions_account_idx ON access_decisions (tenant_id, account_id, at);

      -- Decisions look accounts up by e-mail whatever their state (a deactivated one answers ACCOUNT_DEACTIVATED).
      CREATE INDEX accounts_email_lookup_idx ON accounts (tenant_id, lower(email));
    `, `
      DROP INDEX accounts_email_lookup_idx; DROP TABLE access_decisions; DROP TABLE intervention_reports;
      DROP FUNCTION intervention_reports_immutable(); DROP TABLE intervention_resources; DROP TABLE intervention_accounts;
      DROP TABLE interventions; DROP TABLE contractor_referents;
    `);
