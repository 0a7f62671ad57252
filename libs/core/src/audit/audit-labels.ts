/**
 * R-AUD in plain words: the name of an event's target and of its actor, read when the trail is listed (never chained: a name may
 * change, the hash covers what was recorded). Reads may join any table (docs/architecture.md); an unknown type answers null.
 */
const PERSON = (t: string) => `${t}.first_name || ' ' || ${t}.last_name`;

const BY_TYPE: Record<string, string> = {
  user: `SELECT ${PERSON('x')} FROM users x WHERE x.id = t.tid`,
  account: `SELECT ${PERSON('x')} FROM accounts x WHERE x.id = t.tid`,
  contractor: `SELECT x.legal_name FROM contractors x WHERE x.id = t.tid`,
  resource: `SELECT x.name FROM resources x WHERE x.id = t.tid`,
  tenant: `SELECT x.name FROM tenants x WHERE x.id = t.tid`,
  document: `SELECT x.title || ' ' || x.version_label FROM documents x WHERE x.id = t.tid`,
  prestation: `SELECT x.title FROM prestations x WHERE x.id = t.tid`,
  api_key: `SELECT x.name FROM api_keys x WHERE x.id = t.tid`,
  webhook: `SELECT x.url FROM webhooks x WHERE x.id = t.tid`,
  derogation: `SELECT x.scope FROM derogations x WHERE x.id = t.tid`,
  connection_export: `SELECT x.reason FROM connection_exports x WHERE x.id = t.tid`,
  incident: `SELECT left(x.description, 80) FROM incidents x WHERE x.id = t.tid`,
  intervention: `SELECT x.nature || ' — ' || k.legal_name
                   FROM interventions x JOIN contractors k ON k.id = x.contractor_id WHERE x.id = t.tid`,
  review: `SELECT k.legal_name FROM review_campaigns x JOIN contractors k ON k.id = x.contractor_id WHERE x.id = t.tid`,
  signature: `SELECT d.title || ' — ' || x.signer_first_name || ' ' || x.signer_last_name
                FROM signatures x JOIN documents d ON d.id = x.document_id WHERE x.id = t.tid`,
  habilitation: `SELECT ${PERSON('a')} || ' → ' || r.name
                   FROM habilitations x JOIN accounts a ON a.id = x.account_id JOIN resources r ON r.id = x.resource_id WHERE x.id = t.tid`,
  anomaly: `SELECT coalesce(${PERSON('a')}, x.account_ref) || coalesce(' → ' || coalesce(r.name, x.resource_ref), '')
              FROM anomaly_cases x LEFT JOIN accounts a ON a.id = x.account_id LEFT JOIN resources r ON r.id = x.resource_id
             WHERE x.id = t.tid`,
};

const UUID_TEXT = `'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'`;

/** Columns `target_label` and `actor_name` of an event `e`, and the lateral join they need (after `FROM audit_events e`). */
export const AUDIT_LABEL_JOIN = `CROSS JOIN LATERAL (SELECT CASE WHEN e.target_id ~ ${UUID_TEXT} THEN e.target_id::uuid END AS tid) t`;
export const AUDIT_LABEL_COLUMNS = `
  CASE e.target_type ${Object.entries(BY_TYPE).map(([type, sql]) => `WHEN '${type}' THEN (${sql})`).join('\n    ')} END AS target_label,
  CASE e.actor_type WHEN 'user' THEN (SELECT ${PERSON('u')} FROM users u WHERE u.id = e.actor_id)
                    WHEN 'gateway' THEN (SELECT k.name FROM api_keys k WHERE k.id = e.actor_id) END AS actor_name`;
