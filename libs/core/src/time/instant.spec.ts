import { parseInstant } from './instant';

describe('R-INT R-ART36 strict ISO 8601 instants', () => {
  it('R-INT reads a date-time with Z or an offset, seconds and fractions optional', () => {
    expect(parseInstant('2026-03-01T08:00:00Z')?.toISOString()).toBe('2026-03-01T08:00:00.000Z');
    expect(parseInstant('2026-03-01T09:00:00.250+01:00')?.toISOString()).toBe('2026-03-01T08:00:00.250Z');
    expect(parseInstant('2026-03-01T03:30-04:30')?.toISOString()).toBe('2026-03-01T08:00:00.000Z');
    expect(parseInstant('2026-03-01T08:00:00.123456789Z')?.toISOString()).toBe('2026-03-01T08:00:00.123Z');
    expect(parseInstant('0050-06-01T00:00:00Z')?.toISOString()).toBe('0050-06-01T00:00:00.000Z');
    expect(parseInstant('2028-02-29T23:59:59Z')?.toISOString()).toBe('2028-02-29T23:59:59.000Z');
  });

  it.each([
    ["' OR '1'='1"], ['2001'], ['March 7, 2026'], ['yesterday'], ['1700000000000'], [''],
    ['2026-03-01'], ['2026-03-01T08:00:00'], ['2026-03-01 08:00:00Z'], ['2026-03-01T08:00:00z'],
    ['2026-02-29T08:00:00Z'], ['2026-13-01T08:00:00Z'], ['2026-03-00T08:00:00Z'], ['2026-03-01T24:00:00Z'],
    ['2026-03-01T08:60:00Z'], ['2026-03-01T08:00:60Z'], ['2026-03-01T08:00:00+24:00'], ['2026-03-01T08:00:00+0100'],
    ['0000-01-01T00:00:00Z'], ['+002026-03-01T08:00:00Z'], ['2026-03-01T08:00:00.Z'], [' 2026-03-01T08:00:00Z'],
    ['2026-03-01T08:00:00Z\n'], ['2026-03-01T08:00:00.1234567890Z'],
  ])('R-INT refuses %p', (text) => {
    expect(parseInstant(text)).toBeUndefined();
  });
});
