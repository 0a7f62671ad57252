import { defineErrors } from '@app/core';
import specs from './errors.json';

/** The codes the notifications library answers (webhook subscriptions); texts in errors.json (R-L10N). */
export const NotificationErrors = defineErrors('notifications', specs);
