import { defineErrors } from '@app/core';

/** The connection journal's error codes (the console localises by code). */
export const JournalErrors = defineErrors('journal', {
  DEROGATION_REQUIRED: {
    status: 409, message: 'Deleting journal entries before their time needs a log-deletion derogation in force (Art. 40)',
  },
});
