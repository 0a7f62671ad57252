import { csvCell, EXPORT_COLUMNS, exportChunks, ExportRow } from './export-format';

const row = (over: Partial<ExportRow> = {}): ExportRow => ({
  event_id: 'e-1', account_ref: 'a@b.fr', account_id: null, contractor_id: null, resource_ref: 'pacs', resource_id: null, source_ip: '10.0.0.1',
  started_at: new Date('2026-11-23T10:00:00Z'), ended_at: null, outcome: 'success', recording_ref: null, intervention_id: null,
  batch_id: '00000000-0000-4000-8000-000000000001', ingested_at: new Date('2026-11-23T10:01:00Z'), ...over,
});

async function text(format: 'csv' | 'json', pages: ExportRow[][]): Promise<string> {
  async function* source() { yield* pages; }
  let out = '';
  for await (const chunk of exportChunks(format, source())) out += chunk;
  return out;
}

describe('R-ART41 export formats', () => {
  it.each([
    ['plain', 'plain'],
    [null, ''],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['+33 6 00', "'+33 6 00"],
    ['-1+1', "'-1+1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['a=b', 'a=b'],
  ])('R-ART41 a CSV cell %j is written %j (RFC 4180, formulas neutralised)', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('R-ART41 CSV has the header row and CRLF line ends; an empty export is the header alone', async () => {
    expect(await text('csv', [])).toBe(`${EXPORT_COLUMNS.join(',')}\r\n`);
    const csv = await text('csv', [[row()], [row({ event_id: 'e-2', ended_at: new Date('2026-11-23T10:30:00Z') })]]);
    expect(csv.split('\r\n')).toEqual([
      EXPORT_COLUMNS.join(','),
      'e-1,a@b.fr,,,pacs,,10.0.0.1,2026-11-23T10:00:00.000Z,,success,,,00000000-0000-4000-8000-000000000001,2026-11-23T10:01:00.000Z',
      'e-2,a@b.fr,,,pacs,,10.0.0.1,2026-11-23T10:00:00.000Z,2026-11-23T10:30:00.000Z,success,,,00000000-0000-4000-8000-000000000001,2026-11-23T10:01:00.000Z',
      '',
    ]);
  });

  it('R-ART41 JSON is one array, empty or not, with nulls kept', async () => {
    expect(JSON.parse(await text('json', []))).toEqual([]);
    const parsed = JSON.parse(await text('json', [[row(), row({ event_id: 'e-2' })], [row({ event_id: 'e-3', account_ref: '=1+1' })]]));
    expect(parsed.map((r: { eventId: string }) => r.eventId)).toEqual(['e-1', 'e-2', 'e-3']);
    expect(Object.keys(parsed[0])).toEqual([...EXPORT_COLUMNS]);
    expect(parsed[2]).toMatchObject({ account: '=1+1', endedAt: null, accountId: null });
  });
});
