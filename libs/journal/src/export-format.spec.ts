import { csvCell } from '@app/core';
import { EXPORT_COLUMNS, exportChunks, ExportPage } from './export-format';

/** A page as the repository reads it: the lines' bytes end to end, and where each ends. */
function page(lines: string[]): ExportPage {
  const ends: number[] = [];
  let end = 0;
  for (const line of lines) ends.push((end += Buffer.byteLength(line)));
  return { data: Buffer.from(lines.join('')), ends };
}

async function text(format: 'csv' | 'json', pages: string[][]): Promise<string> {
  async function* source() { yield* pages.map(page); }
  const out: Buffer[] = [];
  for await (const chunk of exportChunks(format, source())) out.push(chunk);
  return Buffer.concat(out).toString('utf8');
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

  it('R-ART41 CSV has the header row and CRLF line ends, across pages; an empty export is the header alone', async () => {
    expect(await text('csv', [])).toBe(`${EXPORT_COLUMNS.join(',')}\r\n`);
    const csv = await text('csv', [['e-1,a'], ['"e,2",b', 'e-3,c']]);
    expect(csv.split('\r\n')).toEqual([EXPORT_COLUMNS.join(','), 'e-1,a', '"e,2",b', 'e-3,c', '']);
  });

  it('R-ART41 JSON is one array, empty or not, across pages', async () => {
    expect(JSON.parse(await text('json', []))).toEqual([]);
    const pages = [['{"eventId" : "e-1"}', '{"eventId" : "e-2"}'], ['{"eventId" : "e-3", "endedAt" : null}']];
    const parsed = JSON.parse(await text('json', pages));
    expect(parsed).toEqual([{ eventId: 'e-1' }, { eventId: 'e-2' }, { eventId: 'e-3', endedAt: null }]);
  });

  it('R-ART41 characters of several bytes cut by a 64 KiB boundary come back whole', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `e-${i},élève ✓ ${i}`);
    const csv = await text('csv', [lines.slice(0, 1000), lines.slice(1000)]);
    expect(Buffer.byteLength(csv)).toBeGreaterThan(64 * 1024);
    expect(csv).toBe(`${EXPORT_COLUMNS.join(',')}\r\n${lines.map((l) => `${l}\r\n`).join('')}`);
  });

  it('R-ART41 a large export is handed on in pieces, not one string', async () => {
    const line = 'x'.repeat(100);
    let pieces = 0;
    async function* source() { yield page(Array.from({ length: 5000 }, () => line)); }
    for await (const chunk of exportChunks('csv', source())) {
      pieces++;
      expect(chunk.length).toBeLessThan(64 * 1024 + 200);
    }
    expect(pieces).toBeGreaterThan(5);
  });
});
