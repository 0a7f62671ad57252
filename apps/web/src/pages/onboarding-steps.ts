import type { Account, Readiness } from '../api';

export type StepState = 'done' | 'todo' | 'waiting';

/**
 * Step 4 of the contractor's checklist (R-ART28): done once an account is active and none is on its way; waiting while
 * the DSI approves an account or validates a convention; to do while the company (or its intervenant) has a part left.
 */
export function accountsStep(gateOpen: boolean, accounts: Pick<Account, 'status'>[], readiness: Pick<Readiness, 'missing'>[]): StepState {
  if (!gateOpen) return 'waiting';
  const companysPart = readiness.some((r) => r.missing.some((m) => !m.code.endsWith('_PENDING_VALIDATION')));
  if (companysPart) return 'todo';
  if (accounts.some((a) => a.status === 'requested' || a.status === 'approved')) return 'waiting';
  return accounts.some((a) => a.status === 'active') ? 'done' : 'todo';
}
