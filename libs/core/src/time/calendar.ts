/** Calendar dates (YYYY-MM-DD) as the tenant sees them: deadlines fall on the tenant's local day. */
export type IsoDate = string;

// On the access-decision path: one Intl.DateTimeFormat per zone (building one costs far more than using it), and the
// last answer per zone, reused within the same UTC minute (offsets in use since the early 20th century are whole
// minutes, so a local day never changes inside one).
const formats = new Map<string, { format: Intl.DateTimeFormat; minute: number; date: IsoDate }>();

export function localDate(at: Date, timeZone: string): IsoDate {
  const minute = Math.floor(at.getTime() / 60_000);
  let zone = formats.get(timeZone);
  if (zone?.minute === minute) return zone.date;
  if (!zone) {
    const format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    zone = { format, minute: NaN, date: '' };
    formats.set(timeZone, zone);
  }
  zone.date = zone.format.format(at);
  zone.minute = minute;
  return zone.date;
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** PostgreSQL returns DATE columns as strings with the pg type parser set in the data source. */
export function asIsoDate(value: string | Date | null): IsoDate | null {
  if (value === null) return null;
  return typeof value === 'string' ? value.slice(0, 10) : value.toISOString().slice(0, 10);
}
