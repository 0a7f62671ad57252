/**
 * One CSV field, RFC 4180: quoted when it holds a comma, a quote, CR or LF (quotes doubled). A cell a spreadsheet
 * would run as a formula (starting with = + - @, tab or CR; OWASP "CSV injection") gets a leading `'`.
 */
export function csvCell(value: string | null): string {
  if (value === null) return '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One CSV record, CRLF-terminated. */
export function csvLine(cells: (string | null)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
