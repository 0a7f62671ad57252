export type ContactRole = 'legal_rep' | 'security_contact' | 'security_deputy' | 'rssi';
export type ChangeKind = 'created' | 'administrative' | 'contacts';
export type AccessMode = 'remote' | 'onsite' | 'saas';

/** Someone an e-mail goes to, in their language. */
export interface Recipient {
  email: string;
  locale: 'fr' | 'en';
}

/** Which companies a person may read: all of the tenant, or their own (and the subcontractors it declared). */
export type Visibility = { all: true } | { ownOrPrimeOf: string; includeSubcontractors: boolean };

/** What the gate reads of a running prestation. */
export interface RunningPrestation {
  contractorId: string;
  accessMode: AccessMode;
  requireRgpdClauses: boolean;
  requireSecurityReferential: boolean;
}

export interface ContactPerson {
  firstName: string;
  lastName: string;
  phone: string;
  email: string;
  function?: string;
}

export interface ContactsDeclaration {
  legalRepresentative: ContactPerson;
  securityContact: ContactPerson;
  securityDeputy: ContactPerson;
  rssi?: ContactPerson;
}
