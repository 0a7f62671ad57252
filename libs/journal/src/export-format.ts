/** One journal row as an export reads it (R-ART41). */
export interface ExportRow {
  event_id: string;
  account_ref: string;
  account_id: string | null;
  contractor_id: string | null;
  resource_ref: string;
  resource_id: string | null;
  source_ip: string | null;
  started_at: Date;
  ended_at: Date | null;
  outcome: string;
  recording_ref: string | null;
  intervention_id: string | null;
  batch_id: string;
  ingested_at: Date;
}

/** The columns of an export, in order (the CSV header; the keys of each JSON object). */
export const EXPORT_COLUMNS = [
  'eventId', 'account', 'accountId', 'contractorId', 'resource', 'resourceId', 'sourceIp', 'startedAt', 'endedAt', 'outcome',
  'recordingRef', 'interventionId', 'batchId', 'ingestedAt',
] as const;

export type ExportRecord = Record<(typeof EXPORT_COLUMNS)[number], string | null>;

export function toExportRecord(r: ExportRow): ExportRecord {
  return {
    eventId: r.event_id, account: r.account_ref, accountId: r.account_id, contractorId: r.contractor_id, resource: r.resource_ref,
    resourceId: r.resource_id, sourceIp: r.source_ip, startedAt: r.started_at.toISOString(), endedAt: r.ended_at?.toISOString() ?? null,
    outcome: r.outcome, recordingRef: r.recording_ref, interventionId: r.intervention_id, batchId: r.batch_id,
    ingestedAt: r.ingested_at.toISOString(),
  };
}

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

/** Text is handed to the stream in pieces of about this size (not one write per row, not one page at once). */
const CHUNK = 64 * 1024;

/** The export as text chunks, read page by page from `pages`: memory holds one page, whatever the size. */
export async function* exportChunks(format: 'csv' | 'json', pages: AsyncIterable<ExportRow[]>): AsyncGenerator<string> {
  let out = format === 'csv' ? csvLine([...EXPORT_COLUMNS]) : '[';
  let first = true;
  for await (const page of pages) {
    for (const row of page) {
      const record = toExportRecord(row);
      if (format === 'csv') {
        out += csvLine(EXPORT_COLUMNS.map((c) => record[c]));
      } else {
        out += `${first ? '\n' : ',\n'}${JSON.stringify(record)}`;
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
