import { defineErrors } from '@app/core';
import specs from './errors.json';

/** The contractors library's error codes; texts in errors.json (R-L10N). */
export const ContractorErrors = defineErrors('contractors', specs);
