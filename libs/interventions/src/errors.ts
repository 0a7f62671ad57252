import { defineErrors } from '@app/core';
import specs from './errors.json';

/** The interventions library's error codes (R-ART36 windows, R-ART42 reports); texts in errors.json (R-L10N). */
export const InterventionErrors = defineErrors('interventions', specs);
