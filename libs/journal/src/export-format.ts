export type ExportFormat = 'csv' | 'json';

/** The columns of an export, in order (the CSV header; the keys of each JSON object). */
export const EXPORT_COLUMNS = [
  'eventId', 'account', 'accountId', 'contractorId', 'resource', 'resourceId', 'sourceIp', 'startedAt', 'endedAt', 'outcome',
  'recordingRef', 'interventionId', 'batchId', 'ingestedAt',
] as const;

/**
 * One CSV field, RFC 4180: quoted when it holds a comma, a quote, CR or LF (quotes doubled). A
 * gateway sends account and resource references as it likes, so a cell that a spreadsheet would
 * run as a formula (starting with = + - @, tab or CR; OWASP "CSV injection") gets a leading `'`.
 */
export function csvCell(value: string | null): string {
  if (value === null) return '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvLine(cells: (string | null)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** The journal columns behind EXPORT_COLUMNS, in order, and whether a gateway chose their text (then CSV-escaped). */
const SOURCES: Record<(typeof EXPORT_COLUMNS)[number], { column: string; kind: 'free' | 'plain' | 'instant' }> = {
  eventId: { column: 'event_id', kind: 'free' }, account: { column: 'account_ref', kind: 'free' }, accountId: { column: 'account_id', kind: 'plain' },
  contractorId: { column: 'contractor_id', kind: 'plain' }, resource: { column: 'resource_ref', kind: 'free' }, resourceId: { column: 'resource_id', kind: 'plain' },
  sourceIp: { column: 'source_ip', kind: 'plain' }, startedAt: { column: 'started_at', kind: 'instant' }, endedAt: { column: 'ended_at', kind: 'instant' },
  outcome: { column: 'outcome', kind: 'plain' }, recordingRef: { column: 'recording_ref', kind: 'free' }, interventionId: { column: 'intervention_id', kind: 'plain' },
  batchId: { column: 'batch_id', kind: 'plain' }, ingestedAt: { column: 'ingested_at', kind: 'instant' },
};

/**
 * The SQL expression that writes one connection_events row (alias `e`) as its export line, by the
 * rules above: instants as JavaScript's toISOString writes them (UTC, milliseconds), the address
 * without its mask, csvCell on the CSV cells a gateway chose (ids, addresses, instants and the
 * outcome cannot hold a comma, a quote, a line end or a leading formula sign), JSON objects with
 * EXPORT_COLUMNS as keys, in order. No line end: exportChunks adds them.
 */
export function exportLineSql(format: ExportFormat, e: string): string {
  const value = (name: (typeof EXPORT_COLUMNS)[number]): string => {
    const { column, kind } = SOURCES[name];
    const ref = `${e}.${column}`;
    if (kind === 'instant') return `to_char(${ref} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
    return column === 'source_ip' ? `host(${ref})` : `${ref}::text`;
  };
  if (format === 'json') return `json_build_object(${EXPORT_COLUMNS.map((c) => `'${c}', ${value(c)}`).join(', ')})::text`;
  const cell = (name: (typeof EXPORT_COLUMNS)[number]): string => {
    const v = value(name);
    if (SOURCES[name].kind !== 'free') return `coalesce(${v}, '')`;
    const safe = `(CASE WHEN left(${v}, 1) IN ('=', '+', '-', '@', E'\\t', E'\\r') THEN '''' || ${v} ELSE ${v} END)`;
    // One pattern test on the common path (nothing to change); only a cell that needs it is rewritten.
    return `(CASE WHEN ${v} IS NULL THEN '' WHEN ${v} !~ E'^[=+@\\t\\r-]|[",\\r\\n]' THEN ${v}
      WHEN ${safe} ~ E'[",\\r\\n]' THEN '"' || replace(${safe}, '"', '""') || '"' ELSE ${safe} END)`;
  };
  return `concat_ws(',', ${EXPORT_COLUMNS.map(cell).join(', ')})`;
}

/** Text is handed to the stream in pieces of about this size (not one write per row, not one page at once). */
const CHUNK = 64 * 1024;

/** The export as text chunks from pages of lines (exportLineSql): memory holds a page, whatever the size. */
export async function* exportChunks(format: ExportFormat, pages: AsyncIterable<string[]>): AsyncGenerator<string> {
  let out = format === 'csv' ? csvLine([...EXPORT_COLUMNS]) : '[';
  let first = true;
  for await (const page of pages) {
    for (const line of page) {
      if (format === 'csv') {
        out += `${line}\r\n`;
      } else {
        out += `${first ? '\n' : ',\n'}${line}`;
        first = false;
      }
      if (out.length >= CHUNK) {
        yield out;
        out = '';
      }
    }
  }
  if (format === 'json') out += first ? ']\n' : '\n]\n';
  if (out) yield out;
}
