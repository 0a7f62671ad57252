import { addDays, daysBetween, localDate } from './calendar';

describe('tenant calendar dates', () => {
  it('takes the local day of the tenant, not the UTC day', () => {
    expect(localDate(new Date('2026-03-01T23:30:00Z'), 'Europe/Paris')).toBe('2026-03-02');
    expect(localDate(new Date('2026-03-01T22:30:00Z'), 'UTC')).toBe('2026-03-01');
  });

  it('adds days across months and counts days between dates', () => {
    expect(addDays('2026-02-27', 3)).toBe('2026-03-02');
    expect(daysBetween('2026-12-30', '2027-01-02')).toBe(3);
  });
});
