/** Calendar dates (YYYY-MM-DD) as the tenant sees them: deadlines fall on the tenant's local day. */
export type IsoDate = string;

// Building an Intl.DateTimeFormat costs far more than formatting with one (it sits on the access-decision path): one per zone.
const formats = new Map<string, Intl.DateTimeFormat>();

export function localDate(at: Date, timeZone: string): IsoDate {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formats.set(timeZone, format);
  }
  return format.format(at);
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
