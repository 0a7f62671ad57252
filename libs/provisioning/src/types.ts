/** R-PROV how an entry is disabled: OpenLDAP's lock attribute, or Active Directory's userAccountControl bit 2. */
export const DISABLE_MODES = ['openldap-lock', 'ad-uac'] as const;
export type DisableMode = (typeof DISABLE_MODES)[number];

/** R-PROV what reconciliation finds in the directory that Prestagate does not allow. */
export const DRIFT_KINDS = ['enabled_inactive', 'group_without_habilitation', 'unknown_entry'] as const;
export type DriftKind = (typeof DRIFT_KINDS)[number];

/** R-PROV an account's entry: as Prestagate wants it, waiting for the worker, or refused / out of reach (message). */
export const ENTRY_STATES = ['in_step', 'pending', 'failed', 'none'] as const;
export type EntryState = (typeof ENTRY_STATES)[number];

/** The test of a connector, step by step; the first that fails stops it. */
export const TEST_STEPS = ['connect', 'bind', 'base', 'groups'] as const;
export type TestStep = (typeof TEST_STEPS)[number];

/** One resource of the catalogue and the directory group that opens it. */
export interface GroupMapping {
  resourceId: string;
  groupDn: string;
}

/** What an account's entry should be: enabled or not, and its groups (DNs, sorted). */
export interface Wanted {
  enabled: boolean;
  groups: string[];
}
