import { addDays, IsoDate, localDate } from '@app/core';

/** The part of the tenant policy the intervention rules read (R-POL). */
export interface UsagePolicy {
  businessHours: { start: string; end: string; days: number[]; timezone: string };
  blackouts: { from: string; to: string; label: string }[];
  reportDeadlineBusinessDays: number;
}

/** Offset of `timeZone` from UTC at `instant`, in minutes (Europe/Paris in summer: 120). */
function offsetMinutes(instant: Date, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    }).formatToParts(instant).map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/** The instant at which the wall clock of `timeZone` shows `date` `time` (HH:MM). */
export function zonedInstant(date: IsoDate, time: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  const [h, mi] = time.split(':').map(Number);
  const guess = Date.UTC(y, m - 1, d, h, mi);
  const first = guess - offsetMinutes(new Date(guess), timeZone) * 60_000;
  return new Date(guess - offsetMinutes(new Date(first), timeZone) * 60_000);
}

/** ISO weekday (1 = Monday) of a calendar date. */
function weekday(date: IsoDate): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

/** The business-hours intervals (usage periods) that meet [start, end). */
function businessIntervals(start: Date, end: Date, policy: UsagePolicy): [Date, Date][] {
  const { timezone, days, start: open, end: close } = policy.businessHours;
  const intervals: [Date, Date][] = [];
  const last = localDate(end, timezone);
  for (let day = addDays(localDate(start, timezone), -1); day <= last; day = addDays(day, 1)) {
    if (!days.includes(weekday(day))) continue;
    intervals.push([zonedInstant(day, open, timezone), zonedInstant(day, close, timezone)]);
  }
  return intervals.filter(([a, b]) => a < end && b > start);
}

/** R-ART36: does the window fall in the tenant's usage periods (business hours) or a blackout? */
export function usageConflict(start: Date, end: Date, policy: UsagePolicy): { conflict: boolean; reasons: string[] } {
  const reasons: string[] = [];
  if (businessIntervals(start, end, policy).length) reasons.push('business hours');
  for (const b of policy.blackouts) {
    if (new Date(b.from) < end && new Date(b.to) > start) reasons.push(`blackout: ${b.label}`);
  }
  return { conflict: reasons.length > 0, reasons };
}

/** R-ART42: is any part of the window outside business hours? */
export function outsideBusinessHours(start: Date, end: Date, policy: UsagePolicy): boolean {
  let covered = 0;
  for (const [a, b] of businessIntervals(start, end, policy)) {
    covered += Math.min(b.getTime(), end.getTime()) - Math.max(a.getTime(), start.getTime());
  }
  return covered < end.getTime() - start.getTime();
}

/** Adds business days (the tenant's business weekdays) to a date. */
export function addBusinessDays(date: IsoDate, n: number, days: number[]): IsoDate {
  let d = date;
  for (let added = 0; added < n;) {
    d = addDays(d, 1);
    if (days.includes(weekday(d))) added++;
  }
  return d;
}

/**
 * R-ART42: due the same day when even partly outside business hours, else within the deadline in business days.
 * `lateAt` is the end of the due day in the zone of the moment (R-INT): it keeps its meaning if the zone changes.
 */
export function reportDueOn(start: Date, end: Date, policy: UsagePolicy): { dueOn: IsoDate; lateAt: Date; afterHours: boolean } {
  const { timezone, days } = policy.businessHours;
  const afterHours = outsideBusinessHours(start, end, policy);
  const endDay = localDate(end, timezone);
  const dueOn = afterHours ? endDay : addBusinessDays(endDay, policy.reportDeadlineBusinessDays, days);
  return { afterHours, dueOn, lateAt: zonedInstant(addDays(dueOn, 1), '00:00', timezone) };
}
