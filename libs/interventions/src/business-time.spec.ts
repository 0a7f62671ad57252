import { addBusinessDays, outsideBusinessHours, reportDueOn, usageConflict, UsagePolicy, zonedInstant } from './business-time';

const policy: UsagePolicy = {
  businessHours: { start: '08:00', end: '18:00', days: [1, 2, 3, 4, 5], timezone: 'Europe/Paris' },
  blackouts: [{ from: '2026-12-24T00:00:00Z', to: '2026-12-27T00:00:00Z', label: 'Noël' }],
  reportDeadlineBusinessDays: 2,
};

describe('R-ART36 R-ART42 business hours, usage periods and report deadlines', () => {
  it('turns a Paris wall-clock time into the right instant, winter and summer', () => {
    expect(zonedInstant('2026-01-15', '08:00', 'Europe/Paris').toISOString()).toBe('2026-01-15T07:00:00.000Z');
    expect(zonedInstant('2026-07-15', '08:00', 'Europe/Paris').toISOString()).toBe('2026-07-15T06:00:00.000Z');
  });

  it('R-ART36 a window on a weekday afternoon falls in the usage period; a night window does not', () => {
    // Tuesday 2026-11-24, 14:00-15:00 Paris.
    expect(usageConflict(new Date('2026-11-24T13:00:00Z'), new Date('2026-11-24T14:00:00Z'), policy))
      .toEqual({ conflict: true, reasons: ['business hours'] });
    // Tuesday 22:00 - Wednesday 02:00 Paris.
    expect(usageConflict(new Date('2026-11-24T21:00:00Z'), new Date('2026-11-25T01:00:00Z'), policy).conflict).toBe(false);
    // Saturday afternoon is outside business days.
    expect(usageConflict(new Date('2026-11-28T13:00:00Z'), new Date('2026-11-28T14:00:00Z'), policy).conflict).toBe(false);
  });

  it('R-ART36 a blackout is a conflict even at night', () => {
    expect(usageConflict(new Date('2026-12-24T22:00:00Z'), new Date('2026-12-24T23:00:00Z'), policy))
      .toEqual({ conflict: true, reasons: ['blackout: Noël'] });
  });

  it('R-ART42 a window even partly outside business hours is after hours: report due the same day', () => {
    // 17:00-19:00 Paris on a Tuesday: one hour outside.
    expect(outsideBusinessHours(new Date('2026-11-24T16:00:00Z'), new Date('2026-11-24T18:00:00Z'), policy)).toBe(true);
    expect(reportDueOn(new Date('2026-11-24T16:00:00Z'), new Date('2026-11-24T18:00:00Z'), policy))
      .toEqual({ dueOn: '2026-11-24', lateAt: new Date('2026-11-24T23:00:00Z'), afterHours: true });
  });

  it('R-ART42 inside business hours the report is due within the business-day deadline, weekends skipped', () => {
    // Thursday 10:00-11:00 Paris: due two business days later, the Monday.
    expect(reportDueOn(new Date('2026-11-26T09:00:00Z'), new Date('2026-11-26T10:00:00Z'), policy))
      .toEqual({ dueOn: '2026-11-30', lateAt: new Date('2026-11-30T23:00:00Z'), afterHours: false });
    expect(addBusinessDays('2026-11-27', 1, [1, 2, 3, 4, 5])).toBe('2026-11-30');
  });
});
