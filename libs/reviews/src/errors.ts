import { defineErrors } from '@app/core';

/** The reviews library's error codes (R-ART34 campaigns and their evidence); the console localises by code. */
export const ReviewErrors = defineErrors('reviews', {
  REVIEWED_WITH_PRIME: { status: 409, message: 'A subcontractor is reviewed within its prime contractor\'s campaign (R-ART4)' },
  REVIEW_IN_PROGRESS: { status: 409, message: 'A campaign of this contractor is already in progress' },
  REVIEW_INCOMPLETE: { status: 409, message: 'Some items have no decision yet' },
  ITEM_NOT_DECIDABLE: { status: 409, message: 'A person added during the campaign goes through the account approval' },
  REVIEW_NOT_OPEN: { status: 409, message: 'This campaign is not open' },
  REVIEW_NOT_SUBMITTED: { status: 409, message: 'This campaign is not submitted' },
  REVIEW_NOT_CERTIFIED: { status: 409, message: 'Evidence is produced for a certified campaign' },
});
