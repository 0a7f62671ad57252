import { defineErrors } from '@app/core';

/** The connection journal's error codes (the console localises by code). */
export const JournalErrors = defineErrors('journal', {
  DEROGATION_REQUIRED: {
    status: 409, message: 'Deleting journal entries before their time needs a log-deletion derogation in force (Art. 40)',
  },
  ANOMALY_TRANSITION: { status: 409, message: 'This anomaly is not in a status that allows this act (someone may have just done it)' },
  ANOMALY_ASSIGNEE_NOT_ELIGIBLE: { status: 422, message: 'An anomaly is assigned to an active RSSI or DSI of the establishment' },
  JOURNAL_PERIOD_TOO_LONG: { status: 400, message: 'The journal is searched over 92 days at most' },
});
