import { defineErrors } from '@app/core';
import specs from './errors.json';

/** The charters library's error codes; texts in errors.json (R-L10N). */
export const CharterErrors = defineErrors('charters', specs);
