import { pgInstant } from './db';

describe('pgInstant', () => {
  it('R-ART36 writes every instant JavaScript holds the way PostgreSQL reads it, BC years included', () => {
    expect(pgInstant(new Date('2026-12-02T11:39:20.123Z'))).toBe('2026-12-02T11:39:20.123Z');
    expect(pgInstant(new Date('0001-01-01T00:00:00.000Z'))).toBe('0001-01-01T00:00:00.000Z');
    expect(pgInstant(new Date('0000-01-01T00:00:00.000Z'))).toBe('0001-01-01T00:00:00.000Z BC');
    expect(pgInstant(new Date('-000001-06-30T12:00:00.000Z'))).toBe('0002-06-30T12:00:00.000Z BC');
    expect(pgInstant(new Date('-004711-01-01T00:00:00.000Z'))).toBe('4712-01-01T00:00:00.000Z BC');
    expect(pgInstant(new Date('+275760-09-13T00:00:00.000Z'))).toBe('275760-09-13T00:00:00.000Z');
  });
});
