import { csvLine } from '@app/core';

export type ExportFormat = 'csv' | 'json';

/** The columns of an export, in order (the CSV header; the keys of each JSON object). */
export const EXPORT_COLUMNS = [
  'eventId', 'account', 'accountId', 'contractorId', 'resource', 'resourceId', 'sourceIp', 'startedAt', 'endedAt', 'outcome',
  'recordingRef', 'interventionId', 'batchId', 'ingestedAt',
] as const;

type Column = (typeof EXPORT_COLUMNS)[number];

/** The journal columns behind EXPORT_COLUMNS; `free`: a gateway chose the text (then quoted by csvCell). */
const SOURCES: Record<Column, { column: string; kind: 'free' | 'plain' | 'instant' }> = {
  eventId: { column: 'event_id', kind: 'free' },
  account: { column: 'account_ref', kind: 'free' },
  accountId: { column: 'account_id', kind: 'plain' },
  contractorId: { column: 'contractor_id', kind: 'plain' },
  resource: { column: 'resource_ref', kind: 'free' },
  resourceId: { column: 'resource_id', kind: 'plain' },
  sourceIp: { column: 'source_ip', kind: 'plain' },
  startedAt: { column: 'started_at', kind: 'instant' },
  endedAt: { column: 'ended_at', kind: 'instant' },
  outcome: { column: 'outcome', kind: 'plain' },
  recordingRef: { column: 'recording_ref', kind: 'free' },
  interventionId: { column: 'intervention_id', kind: 'plain' },
  batchId: { column: 'batch_id', kind: 'plain' },
  ingestedAt: { column: 'ingested_at', kind: 'instant' },
};

/** One field PostgreSQL writes for an export line; `free` fields go through csvCell, the others are copied as they are. */
export interface ExportField {
  sql: string;
  free: boolean;
}

/** A column as text: instants as toISOString writes them (UTC, milliseconds), the address without its mask. */
function columnText(name: Column, e: string): string {
  const { column, kind } = SOURCES[name];
  const ref = `${e}.${column}`;
  if (kind === 'instant') return `to_char(${ref} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  return column === 'source_ip' ? `host(${ref})` : `${ref}::text`;
}

/**
 * The fields of one connection_events row (alias `e`) whose values, joined by commas, are its export
 * line: JSON, one object with EXPORT_COLUMNS as keys; CSV, each free cell alone and the cells between
 * them pre-joined (ids, addresses, instants and the outcome never need quoting). See docs/adr/journal-exports.md.
 */
export function exportFieldsSql(format: ExportFormat, e: string): ExportField[] {
  if (format === 'json') {
    return [{ sql: `json_build_object(${EXPORT_COLUMNS.map((c) => `'${c}', ${columnText(c, e)}`).join(', ')})::text`, free: false }];
  }
  const fields: ExportField[] = [];
  let run: string[] = [];
  const endRun = () => {
    if (run.length) fields.push({ sql: `concat_ws(',', ${run.join(', ')})`, free: false });
    run = [];
  };
  for (const name of EXPORT_COLUMNS) {
    if (SOURCES[name].kind !== 'free') {
      run.push(`coalesce(${columnText(name, e)}, '')`);
      continue;
    }
    endRun();
    fields.push({ sql: columnText(name, e), free: true });
  }
  endRun();
  return fields;
}

/**
 * A page of lines (UTF-8, no line end) end to end in `data`, line i ending at `ends[i]`. Bytes, not strings:
 * a page's strings would outlive V8's scavenges and grow the old generation by the file's size (docs/performance.md).
 */
export interface ExportPage {
  data: Buffer;
  ends: number[];
}

/** The file is handed to the stream in Buffers of this size (not one write per row, not one page at once). */
const CHUNK = 64 * 1024;

/** Fills CHUNK-sized Buffers with bytes; the full ones are taken as they fill. */
class Chunks {
  private chunk = Buffer.allocUnsafeSlow(CHUNK);
  private used = 0;
  private full: Buffer[] = [];

  put(src: Buffer, start = 0, end = src.length): void {
    while (start < end) {
      const n = src.copy(this.chunk, this.used, start, Math.min(end, start + CHUNK - this.used));
      this.used += n;
      start += n;
      if (this.used === CHUNK) {
        this.full.push(this.chunk);
        this.chunk = Buffer.allocUnsafeSlow(CHUNK);
        this.used = 0;
      }
    }
  }

  take(): Buffer[] {
    const full = this.full;
    this.full = [];
    return full;
  }

  rest(): Buffer[] {
    const rest = this.take();
    if (this.used) rest.push(this.chunk.subarray(0, this.used));
    return rest;
  }
}

const bytes = (text: string) => Buffer.from(text, 'utf8');
const [CRLF, LF, COMMA_LF] = [bytes('\r\n'), bytes('\n'), bytes(',\n')];

/** The export as Buffers of CHUNK bytes from pages of lines: memory holds a page, whatever the size. */
export async function* exportChunks(format: ExportFormat, pages: AsyncIterable<ExportPage>): AsyncGenerator<Buffer> {
  const out = new Chunks();
  out.put(bytes(format === 'csv' ? csvLine([...EXPORT_COLUMNS]) : '['));
  let first = true;
  for await (const { data, ends } of pages) {
    let start = 0;
    for (const end of ends) {
      if (format === 'csv') {
        out.put(data, start, end);
        out.put(CRLF);
      } else {
        out.put(first ? LF : COMMA_LF);
        out.put(data, start, end);
      }
      first = false;
      start = end;
    }
    yield* out.take();
  }
  if (format === 'json') out.put(bytes(first ? ']\n' : '\n]\n'));
  yield* out.rest();
}
