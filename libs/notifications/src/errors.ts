import { defineErrors } from '@app/core';

/** The codes the notifications library answers (webhook subscriptions). */
export const NotificationErrors = defineErrors('notifications', {
  WEBHOOK_URL_TAKEN: {
    status: 409,
    message: 'An active webhook already posts to this URL; revoke it first, then subscribe it again with every event it needs',
  },
  WEBHOOK_REVOKED: { status: 409, message: 'This webhook is revoked: subscribe the URL again instead' },
});
