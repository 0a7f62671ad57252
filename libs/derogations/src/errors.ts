import { defineErrors } from '@app/core';

/** The derogations library's error codes (the console localises by code). */
export const DerogationErrors = defineErrors('derogations', {
  DEROGATION_REVOKED: { status: 409, message: 'This derogation is already revoked' },
});
