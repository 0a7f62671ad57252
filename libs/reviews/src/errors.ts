import { defineErrors } from '@app/core';
import specs from './errors.json';

/** The reviews library's error codes (R-ART34 campaigns and their evidence); texts in errors.json (R-L10N). */
export const ReviewErrors = defineErrors('reviews', specs);
