import { sqlMigration } from './sql-migration';

/** The tables whose rows are evidence (R-AUD, R-INT): nobody truncates them, not even their owner. */
const EVIDENCE = ['audit_events', 'audit_heads', 'intervention_reports', 'files', 'journal_batches', 'journal_heads', 'connection_events'];

/**
 * R-AUD R-INT the application no longer owns its evidence: `prestagate_app` appends to the evidence tables, never
 * changes, deletes or truncates them; retention and partitions go through owner functions (docs/adr/evidence-roles.md).
 */
export const EvidenceRoles1763900000080 = sqlMigration('EvidenceRoles1763900000080', `
      DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'prestagate_app') THEN CREATE ROLE prestagate_app NOLOGIN; END IF;
      END $$;
      GRANT USAGE ON SCHEMA public TO prestagate_app;
      GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO prestagate_app;
      GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO prestagate_app;
      ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO prestagate_app;
      ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO prestagate_app;

      REVOKE UPDATE, DELETE, TRUNCATE ON audit_events, intervention_reports, files, journal_batches, connection_events FROM prestagate_app;
      REVOKE DELETE, TRUNCATE ON audit_heads, journal_heads FROM prestagate_app;
      -- Correlation links an event to its intervention window: not part of the batch's seal.
      GRANT UPDATE (intervention_id) ON connection_events TO prestagate_app;

      CREATE FUNCTION evidence_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% holds evidence: TRUNCATE is refused (see docs/operations.md, "Evidence and database roles")', TG_TABLE_NAME;
      END $$;
      ${EVIDENCE.map((t) => `CREATE TRIGGER evidence_no_truncate BEFORE TRUNCATE ON ${t} FOR EACH STATEMENT EXECUTE FUNCTION evidence_no_truncate();`).join('\n      ')}

      -- The legal floor of a tenant's journal (months), as its policy says (12 by default).
      CREATE FUNCTION journal_floor_months(p_tenant uuid) RETURNS integer LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
        SELECT coalesce((SELECT (policy->>'logRetentionFloorMonths')::int FROM tenants WHERE id = p_tenant), 12)
      $$;

      CREATE FUNCTION journal_protect_partition(p_name text) RETURNS void LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
      BEGIN
        EXECUTE format('REVOKE ALL ON %I FROM prestagate_app', p_name);
        EXECUTE format('GRANT SELECT ON %I TO prestagate_app', p_name);
        EXECUTE format('CREATE TRIGGER evidence_no_truncate BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION evidence_no_truncate()', p_name);
      END $$;

      CREATE FUNCTION journal_create_partition(p_month text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        part text := 'connection_events_y' || replace(p_month, '-', 'm');
        starts timestamp;
      BEGIN
        IF p_month !~ '^[0-9]{4}-(0[1-9]|1[0-2])$' THEN RAISE EXCEPTION 'not a month: %', p_month; END IF;
        starts := (p_month || '-01')::timestamp;
        -- Creating a partition locks the parent: one creator at a time.
        PERFORM pg_advisory_xact_lock(hashtext('connection_events_partitions'));
        IF to_regclass(part) IS NOT NULL THEN RETURN; END IF;
        EXECUTE format('CREATE TABLE %I PARTITION OF connection_events FOR VALUES FROM (%L) TO (%L)', part,
          to_char(starts, 'YYYY-MM-DD"T00:00:00Z"'), to_char(starts + interval '1 month', 'YYYY-MM-DD"T00:00:00Z"'));
        PERFORM journal_protect_partition(part);
      END $$;

      -- R-ART41: a whole month leaves once it ends before every tenant's legal floor. Answers what it held, per tenant.
      CREATE FUNCTION journal_drop_month(p_month text, p_at timestamptz)
        RETURNS TABLE (tenant_id uuid, events integer, batches integer) LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        part text := 'connection_events_y' || replace(p_month, '-', 'm');
        ends timestamptz;
      BEGIN
        IF p_month !~ '^[0-9]{4}-(0[1-9]|1[0-2])$' THEN RAISE EXCEPTION 'not a month: %', p_month; END IF;
        ends := ((p_month || '-01')::timestamp + interval '1 month') AT TIME ZONE 'UTC';
        IF EXISTS (SELECT 1 FROM tenants t WHERE ends > now() - make_interval(months => journal_floor_months(t.id))) THEN
          RAISE EXCEPTION 'the journal of % is within a tenant''s legal retention floor', p_month;
        END IF;
        PERFORM pg_advisory_xact_lock(hashtext('connection_events_partitions'));
        IF to_regclass(part) IS NULL THEN RETURN; END IF;
        RETURN QUERY EXECUTE format(
          'WITH held AS (SELECT e.tenant_id, count(*)::int AS n, array_agg(DISTINCT e.batch_id) AS ids FROM %I e GROUP BY e.tenant_id),
                marked AS (UPDATE journal_batches b SET purged_at = $1 FROM held WHERE b.id = ANY(held.ids) AND b.purged_at IS NULL)
           SELECT held.tenant_id, held.n, cardinality(held.ids) FROM held', part) USING p_at;
        DELETE FROM connection_event_ids WHERE started_at < ends;
        EXECUTE format('DROP TABLE %I', part);
      END $$;

      -- R-ART41: a tenant's events older than its cutoff, never younger than its legal floor.
      CREATE FUNCTION journal_purge_before(p_tenant uuid, p_cutoff timestamptz, p_at timestamptz)
        RETURNS TABLE (events integer, batches integer) LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        cutoff timestamptz := least(p_cutoff, now() - make_interval(months => journal_floor_months(p_tenant)));
      BEGIN
        DELETE FROM connection_event_ids i WHERE i.tenant_id = p_tenant AND i.started_at < cutoff;
        RETURN QUERY
          WITH gone AS (DELETE FROM connection_events e WHERE e.tenant_id = p_tenant AND e.started_at < cutoff RETURNING e.batch_id),
               marked AS (UPDATE journal_batches b SET purged_at = p_at WHERE b.id IN (SELECT batch_id FROM gone) AND b.purged_at IS NULL)
          SELECT (SELECT count(*)::int FROM gone), (SELECT count(DISTINCT batch_id)::int FROM gone);
      END $$;

      -- R-ART16-27 (Art. 40): deleting younger events needs a log-deletion derogation of the tenant, not revoked.
      CREATE FUNCTION journal_delete_under_derogation(p_tenant uuid, p_derogation uuid, p_from timestamptz, p_to timestamptz, p_at timestamptz)
        RETURNS TABLE (events integer, batches integer) LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM derogations d WHERE d.id = p_derogation AND d.tenant_id = p_tenant AND d.kind = 'log_deletion' AND d.revoked_at IS NULL) THEN
          RAISE EXCEPTION 'no log-deletion derogation % for this tenant', p_derogation;
        END IF;
        RETURN QUERY
          WITH gone AS (DELETE FROM connection_events e WHERE e.tenant_id = p_tenant AND e.started_at >= p_from AND e.started_at < p_to RETURNING e.batch_id),
               marked AS (UPDATE journal_batches b SET purged_at = p_at WHERE b.id IN (SELECT batch_id FROM gone) AND b.purged_at IS NULL)
          SELECT (SELECT count(*)::int FROM gone), (SELECT count(DISTINCT batch_id)::int FROM gone);
      END $$;

      REVOKE EXECUTE ON FUNCTION journal_protect_partition(text), journal_create_partition(text), journal_drop_month(text, timestamptz),
        journal_purge_before(uuid, timestamptz, timestamptz), journal_delete_under_derogation(uuid, uuid, timestamptz, timestamptz, timestamptz) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION journal_create_partition(text), journal_drop_month(text, timestamptz),
        journal_purge_before(uuid, timestamptz, timestamptz), journal_delete_under_derogation(uuid, uuid, timestamptz, timestamptz, timestamptz) TO prestagate_app;

      -- Months created before this migration (by the application, which owned them) become the owner's.
      DO $$ DECLARE part record; BEGIN
        FOR part IN SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'connection_events'::regclass LOOP
          EXECUTE format('ALTER TABLE %I OWNER TO %I', part.relname, current_user);
          PERFORM journal_protect_partition(part.relname);
        END LOOP;
      END $$;
    `, `
      DROP FUNCTION journal_delete_under_derogation(uuid, uuid, timestamptz, timestamptz, timestamptz);
      DROP FUNCTION journal_purge_before(uuid, timestamptz, timestamptz);
      DROP FUNCTION journal_drop_month(text, timestamptz);
      DROP FUNCTION journal_create_partition(text);
      DO $$ DECLARE part record; BEGIN
        FOR part IN SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'connection_events'::regclass LOOP
          EXECUTE format('DROP TRIGGER IF EXISTS evidence_no_truncate ON %I', part.relname);
        END LOOP;
      END $$;
      DROP FUNCTION journal_protect_partition(text);
      DROP FUNCTION journal_floor_months(uuid);
      ${EVIDENCE.map((t) => `DROP TRIGGER evidence_no_truncate ON ${t};`).join('\n      ')}
      DROP FUNCTION evidence_no_truncate();
      ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM prestagate_app;
      ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM prestagate_app;
      REVOKE ALL ON ALL TABLES IN SCHEMA public FROM prestagate_app;
      REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM prestagate_app;
      REVOKE USAGE ON SCHEMA public FROM prestagate_app;
    `);
