import { defineErrors } from '@app/core';

/** The charters library's error codes (the console localises by code). */
export const CharterErrors = defineErrors('charters', {
  DOCUMENT_VERSION_EXISTS: { status: 409, message: 'This version of the document already exists' },
  DOCUMENT_WITHDRAWN: { status: 409, message: 'This document version was withdrawn; sign the current one' },
  CONTACTS_MISSING: { status: 409, message: 'Declare the legal representative first (section 8 of the charter)' },
  SIGNER_NOT_LEGAL_REPRESENTATIVE: { status: 422, message: 'This document is signed by the declared legal representative' },
  SIGNATURE_PENDING: { status: 409, message: 'A signature of this document is already waiting for the DSI' },
  SIGNATURE_FILE_NOT_OPENED: { status: 409, message: 'Open the signed file before validating this signature' },
  SIGNATURE_ALREADY_DECIDED: { status: 409, message: 'This signature was already validated or rejected' },
});
