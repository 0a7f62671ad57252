import { defineErrors } from '@app/core';

/** Identity's codes: sign-in, sessions, gateway keys (R-ART28), establishments, people, invitations, TOTP resets. */
export const IdentityErrors = defineErrors('identity', {
  INVALID_CREDENTIALS: { status: 401, message: 'E-mail or password is not correct' },
  ACCOUNT_INVITED: { status: 403, message: 'This account is invited' },
  ACCOUNT_SUSPENDED: { status: 403, message: 'This account is suspended' },
  ACCOUNT_DEACTIVATED: { status: 403, message: 'This account is deactivated' },
  INVALID_MFA_TOKEN: { status: 401, message: 'The sign-in step has expired; enter your password again' },
  INVALID_TOTP: { status: 401, message: 'This code is not valid' },
  MFA_ALREADY_ENROLLED: { status: 409, message: 'TOTP is already enrolled; verify a code instead' },
  MFA_ENROLLMENT_NOT_STARTED: { status: 409, message: 'Start the enrollment first' },
  MFA_NOT_ENROLLED: { status: 409, message: 'TOTP is not enrolled yet; enroll first' },
  MFA_SECRET_UNREADABLE: {
    status: 409,
    message: 'Your second factor can no longer be checked by this server; ask an administrator to reset your TOTP enrolment',
  },
  MFA_ENROLMENT_LINK_REQUIRED: { status: 403, message: 'Your second factor was reset: open the link e-mailed to you to enrol a new one' },
  MFA_ENROLMENT_LINK_INVALID: {
    status: 403,
    message: 'This enrolment link is expired, used or replaced by a newer one: ask the digital department (DSI) for a new reset',
  },
  INVALID_TOKEN: { status: 401, message: 'The access token is missing, invalid or expired' },
  INVALID_REFRESH_TOKEN: { status: 401, message: 'This refresh token is not valid' },
  REFRESH_TOKEN_REUSED: { status: 401, message: 'This refresh token was already used; the session is revoked' },
  SESSION_ENDED: { status: 401, message: 'This session has ended; sign in again' },
  INVALID_API_KEY: { status: 401, message: 'This API key is not valid or was revoked' },
  NO_TENANT: { status: 401, message: 'This action needs a tenant' },
  TENANT_EXISTS: { status: 409, message: 'A tenant with this name already exists' },
  EMAIL_TAKEN: { status: 409, message: 'A person with this e-mail address already exists' },
  INVITATION_NOT_PENDING: { status: 409, message: 'This person has no pending invitation' },
  INVITATION_INVALID: { status: 400, message: 'This invitation link is invalid, already used, replaced by a newer one or expired' },
  MFA_RESET_SELF: { status: 403, message: 'Nobody resets their own second factor: use a recovery code, or ask another administrator' },
  MFA_RESET_PENDING: { status: 409, message: 'This second factor was reset: the enrolment link is on its way to the person' },
  NOT_FOUND: {
    status: 404,
    message: 'This establishment has no DSI with this id: the platform operator resets the second factor of DSIs only, '
      + 'the DSI resets everyone else',
  },
});

/** Two codes a credential change answers with another status than sign-in does (clients know them so). */
export const CredentialChangeErrors = defineErrors('identity.credentials', {
  INVALID_CREDENTIALS: { status: 400, message: 'The current password is not correct' },
  ACCOUNT_DEACTIVATED: { status: 409, message: 'This person is deactivated: there is nothing to reset' },
});
