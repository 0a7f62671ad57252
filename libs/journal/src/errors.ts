import { defineErrors } from '@app/core';
import specs from './errors.json';

/** The connection journal's error codes; texts in errors.json (R-L10N). */
export const JournalErrors = defineErrors('journal', specs);
