import { ManualClock } from '@app/core';
import { Totp } from './totp';

// RFC 6238 Appendix B (SHA-1), secret "12345678901234567890": an independent check of the algorithm.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('R-ART28 TOTP (RFC 6238)', () => {
  it.each([
    ['1970-01-01T00:00:59Z', '287082'],
    ['2005-03-18T01:58:29Z', '081804'],
    ['2009-02-13T23:31:30Z', '005924'],
  ])('accepts the RFC 6238 code at %s', async (at, code) => {
    const totp = new Totp(new ManualClock(new Date(at)));
    await expect(totp.check(RFC_SECRET, code, null)).resolves.toMatchObject({ valid: true });
  });

  it('refuses a code of a step already used (replay) and a malformed code', async () => {
    const totp = new Totp(new ManualClock(new Date('2005-03-18T01:58:29Z')));
    const first = await totp.check(RFC_SECRET, '081804', null);
    expect(first.valid).toBe(true);
    await expect(totp.check(RFC_SECRET, '081804', first.timeStep!)).resolves.toEqual({ valid: false });
    await expect(totp.check(RFC_SECRET, '08180', null)).resolves.toEqual({ valid: false });
  });

  it('refuses a code two steps old', async () => {
    const totp = new Totp(new ManualClock(new Date(Date.parse('2005-03-18T01:58:29Z') + 90_000)));
    await expect(totp.check(RFC_SECRET, '081804', null)).resolves.toEqual({ valid: false });
  });
});
