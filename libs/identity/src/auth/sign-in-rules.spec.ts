import { DomainError } from '@app/core';
import { assertActive, isLocked } from './sign-in-rules';

describe('sign-in rules', () => {
  const now = new Date('2026-12-06T10:00:00Z');

  it('R-ART28 a lock holds until its end, not after it', () => {
    expect(isLocked({ lockedUntil: null }, now)).toBe(false);
    expect(isLocked({ lockedUntil: new Date('2026-12-06T10:00:01Z') }, now)).toBe(true);
    expect(isLocked({ lockedUntil: now }, now)).toBe(false);
  });

  it.each([
    ['invited', 'ACCOUNT_INVITED'], ['suspended', 'ACCOUNT_SUSPENDED'], ['deactivated', 'ACCOUNT_DEACTIVATED'],
  ] as const)('R-ART28 a person %s does not sign in: 403 %s', (status, code) => {
    let thrown: unknown;
    try {
      assertActive({ status });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect(thrown).toMatchObject({ code, status: 403, message: `This account is ${status}` });
  });

  it('R-ART28 an active person signs in', () => {
    expect(() => assertActive({ status: 'active' })).not.toThrow();
  });
});
