import { isoWeek } from './iso-week';

describe('R-DIG ISO weeks (one digest per tenant and week)', () => {
  it('numbers weeks from Monday, week 1 holding the first Thursday', () => {
    expect(isoWeek('2026-01-01')).toBe('2026-W01'); // a Thursday
    expect(isoWeek('2024-12-30')).toBe('2025-W01'); // Monday of the week holding 2 January 2025
    expect(isoWeek('2021-01-03')).toBe('2020-W53'); // a Sunday still in 2020's last week
    expect(isoWeek('2026-11-23')).toBe('2026-W48');
  });

  it('gives the same week from Monday to Sunday and the next one after', () => {
    const days = ['2026-11-23', '2026-11-25', '2026-11-29'].map(isoWeek);
    expect(new Set(days)).toEqual(new Set(['2026-W48']));
    expect(isoWeek('2026-11-30')).toBe('2026-W49');
  });
});
