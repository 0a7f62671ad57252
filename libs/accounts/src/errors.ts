import { defineErrors } from '@app/core';

/** The accounts library's error codes (accounts, scopes, departures, incidents); the console localises by code. */
export const AccountErrors = defineErrors('accounts', {
  ACCOUNT_EXISTS: { status: 409, message: 'This person already holds an account in this establishment (one account per person)' },
  ACCOUNT_CLOSED: { status: 409, message: 'This account is closed' },
  ACCOUNT_NOT_READY: { status: 409, message: 'The account cannot be activated yet' },
  ACCOUNT_NOT_DEPARTED: { status: 409, message: 'Only an account closed by a departure that still stands can be reinstated' },
  ILLEGAL_TRANSITION: { status: 409, message: 'This transition is not allowed from the current status' },
  SHARED_ACCOUNT_NEEDS_DEROGATION: { status: 409, message: 'A shared account needs a shared-account derogation of the DSI (Art. 30)' },
  EMAIL_TAKEN: { status: 409, message: 'This e-mail already belongs to someone outside this company' },
  RESOURCE_EXISTS: { status: 409, message: 'A resource with this name or external id already exists' },
  PERSON_DEPARTED: { status: 409, message: 'This person left the company: only the DSI can reinstate them' },
  DEPARTURE_NO_MATCH: { status: 422, message: 'No open account of this company matches the declaration' },
  DEPARTURE_NAME_MISMATCH: { status: 422, message: 'The account belongs to someone else' },
  DEPARTURE_AMBIGUOUS: { status: 409, message: 'Several open accounts bear this name; give the accountId' },
});
