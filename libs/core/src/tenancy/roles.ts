import { ForbiddenError } from '../errors/domain-error';
import { CONTRACTOR_MANAGERS, HOSPITAL_ROLES, Principal, Role, UserPrincipal } from './principal';

/** Every role check goes through here, so "who may" reads the same in each library. */
export function hasRole(p: Principal, ...roles: readonly Role[]): boolean {
  return p.kind === 'user' && p.roles.some((r) => roles.includes(r));
}

/** Throws 403 unless the caller holds one of the roles. */
export function requireRole(p: Principal, ...roles: readonly Role[]): asserts p is UserPrincipal {
  if (!hasRole(p, ...roles)) throw new ForbiddenError();
}

/** Hospital side (DSI, RSSI, referent, auditor). */
export function isHospitalSide(p: Principal): p is UserPrincipal {
  return hasRole(p, ...HOSPITAL_ROLES);
}

/** A contractor person who declares nothing for the company: sees only their own account and interventions. */
export function isStaffOnly(p: Principal): p is UserPrincipal {
  return p.kind === 'user' && p.contractorId !== null && !hasRole(p, ...CONTRACTOR_MANAGERS);
}

/** A contractor person who declares for the company (legal representative, security contact or deputy). */
export function isContractorManager(p: Principal): p is UserPrincipal {
  return hasRole(p, ...CONTRACTOR_MANAGERS);
}
