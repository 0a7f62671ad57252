import { defineErrors } from '@app/core';
import specs from './errors.json';

/** The accounts library's error codes (accounts, scopes, departures, incidents); texts in errors.json (R-L10N). */
export const AccountErrors = defineErrors('accounts', specs);
