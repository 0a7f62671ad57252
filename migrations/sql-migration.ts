import { MigrationInterface, QueryRunner } from 'typeorm';

/** A migration class (what TypeORM's `migrations` option takes). */
export type SqlMigrationClass = new () => MigrationInterface;

/**
 * A migration that is plain SQL: `up` applies it and `down` reverts it, each in the migration's transaction.
 * `name` ends with the migration's timestamp, which orders the chain.
 */
export function sqlMigration(name: string, up: string, down: string): SqlMigrationClass {
  return class implements MigrationInterface {
    readonly name = name;

    async up(q: QueryRunner): Promise<void> {
      await q.query(up);
    }

    async down(q: QueryRunner): Promise<void> {
      await q.query(down);
    }
  };
}

/** The key every table opens with. */
export const ID = 'id uuid PRIMARY KEY DEFAULT gen_random_uuid()';

/** What a person signs in with (R-ART28): on `users` until migration 190, on `identities` since (R-MEMB). */
export const CREDENTIAL_COLUMNS = `password_hash text,
        password_changed_at timestamptz,
        totp_secret_enc text,
        totp_pending_enc text,
        totp_enabled_at timestamptz,
        totp_last_step bigint,
        failed_attempts integer NOT NULL DEFAULT 0,
        locked_until timestamptz`;

/** The establishment a row belongs to: every tenant's table carries it (R-INT). */
export const TENANT = 'tenant_id uuid NOT NULL REFERENCES tenants(id)';

/** Who did an act, then when (`<act>_by`, `<act>_at`); `at` constrains the instant (' NOT NULL'). */
export const byAt = (act: string, at = ''): string => `${act}_by uuid REFERENCES users(id), ${act}_at timestamptz${at}`;

/** When an act was done, then by whom (`<act>_at`, `<act>_by`), both empty until it is. */
export const atBy = (act: string): string => `${act}_at timestamptz, ${act}_by uuid REFERENCES users(id)`;

/** The journal entry an anomaly is about, as the gateway named it and as correlation resolved it (R-ART41). */
export const JOURNAL_ENTRY = `event_id uuid, event_started_at timestamptz NOT NULL, account_ref text NOT NULL, account_id uuid,
        contractor_id uuid, resource_ref text, resource_id uuid`;

/** A row trigger that refuses every UPDATE and DELETE of `table` with `message` (evidence is never rewritten). */
export function refuseChanges(table: string, fn: string, trigger: string, message: string): string {
  return `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '${message}';
      END $$;
      CREATE TRIGGER ${trigger} BEFORE UPDATE OR DELETE ON ${table}
        FOR EACH ROW EXECUTE FUNCTION ${fn}();`;
}
