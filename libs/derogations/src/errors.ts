import { defineErrors } from '@app/core';
import specs from './errors.json';

/** The derogations library's error codes; texts in errors.json (R-L10N). */
export const DerogationErrors = defineErrors('derogations', specs);
