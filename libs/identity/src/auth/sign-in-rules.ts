import { Person } from '../entities';
import { IdentityErrors } from '../errors';

/** R-ART28 a lock set by the tenant's lockout policy that has not run out. */
export function isLocked(user: Pick<Person, 'lockedUntil'>, now: Date): boolean {
  return user.lockedUntil !== null && user.lockedUntil > now;
}

/** Only an active person signs in: invited, suspended and deactivated ones are told which (403). */
export function assertActive(user: Pick<Person, 'status'>): void {
  const codes = { invited: 'ACCOUNT_INVITED', suspended: 'ACCOUNT_SUSPENDED', deactivated: 'ACCOUNT_DEACTIVATED' } as const;
  if (user.status !== 'active') throw IdentityErrors.error(codes[user.status]);
}
