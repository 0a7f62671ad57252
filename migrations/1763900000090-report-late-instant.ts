import { sqlMigration } from './sql-migration';

/**
 * R-INT R-ART42 a report's deadline keeps the instant it was computed for: `report_late_at`, the end of
 * the due day in the establishment's zone at that time. Read from the date alone, a change of time zone
 * made reports overdue at once and blocked new windows. Existing rows take the tenant's current zone.
 */
export const ReportLateInstant1763900000090 = sqlMigration('ReportLateInstant1763900000090', `
      ALTER TABLE interventions ADD COLUMN report_late_at timestamptz;
      UPDATE interventions i
         SET report_late_at = (i.report_due_on + 1)::timestamp AT TIME ZONE coalesce(t.policy->'businessHours'->>'timezone', 'Europe/Paris')
        FROM tenants t WHERE t.id = i.tenant_id;
      ALTER TABLE interventions ALTER COLUMN report_late_at SET NOT NULL;
      DROP INDEX interventions_report_due_idx;
      CREATE INDEX interventions_report_late_idx ON interventions (report_late_at) WHERE status = 'approved' AND report_filed_at IS NULL;
    `, `
      DROP INDEX interventions_report_late_idx;
      CREATE INDEX interventions_report_due_idx ON interventions (report_due_on) WHERE status = 'approved' AND report_filed_at IS NULL;
      ALTER TABLE interventions DROP COLUMN report_late_at;
    `);
