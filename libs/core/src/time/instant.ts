/**
 * R-ART36 R-INT ISO 8601 (RFC 3339) with its offset: `2026-03-01T09:00:00.250+01:00`, seconds optional, up to nanoseconds.
 * Nothing else: JavaScript's Date reads almost any text, and a time without offset in the server's own zone.
 */
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/** The instant, or undefined when the text is not a strict ISO 8601 date-time with its offset. */
export function parseInstant(text: string): Date | undefined {
  const m = ISO_INSTANT.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((part) => Number(part ?? 0));
  const offsetHours = Number(m[9] ?? 0);
  const offsetMinutes = Number(m[10] ?? 0);
  if (year < 1 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  if (offsetHours > 23 || offsetMinutes > 59) return undefined;
  const at = new Date(0);
  at.setUTCFullYear(year, month - 1, day); // not Date.UTC: it reads years 0-99 as 1900-1999
  if (at.getUTCDate() !== day) return undefined; // 2026-02-30
  const offset = (m[8] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes);
  const millis = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  return new Date(at.getTime() + ((hour * 60 + minute - offset) * 60 + second) * 1000 + millis);
}
