import { createHash } from 'node:crypto';

/**
 * R-AUD: a batch's rows as canonical text, written by PostgreSQL so that sealing and verifying read the same (inet, timestamps),
 * in byte order of event ids (COLLATE "C": a dump restored under another locale verifies the same). A completion row is marked
 * (docs/adr/session-completion.md); rows without one hash as they did before.
 */
export const BATCH_CONTENT_HASH_SQL = `
  SELECT encode(sha256(convert_to(coalesce(string_agg(
           e.event_id || E'\\t' || e.account_ref || E'\\t' || e.resource_ref || E'\\t' || coalesce(host(e.source_ip), '') || E'\\t' ||
           to_char(e.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') || E'\\t' ||
           coalesce(to_char(e.ended_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), '') || E'\\t' ||
           e.outcome || E'\\t' || coalesce(e.recording_ref, '') || CASE WHEN e.completes IS NULL THEN '' ELSE E'\\tcompletes' END,
           E'\\n' ORDER BY e.event_id COLLATE "C"), ''), 'UTF8')), 'hex') AS content_hash,
         count(*)::int AS event_count
    FROM connection_events e WHERE e.batch_id = $1 AND e.tenant_id = $2`;

export interface BatchHashParts {
  tenantId: string;
  seq: number;
  contentHash: string;
  eventCount: number;
  prevHash: string;
  sealedAt: string;
}

export function batchHash(parts: BatchHashParts): string {
  return createHash('sha256')
    .update([parts.tenantId, parts.seq, parts.contentHash, parts.eventCount, parts.prevHash, parts.sealedAt].join('|'))
    .digest('hex');
}
