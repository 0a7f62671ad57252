import { defineErrors } from '@app/core';

/** The interventions library's error codes (R-ART36 windows, R-ART42 reports); clients and the console key on them. */
export const InterventionErrors = defineErrors('interventions', {
  CONTRACTOR_GATE_CLOSED: { status: 409, message: 'The contractor\'s access is closed' },
  REPORT_OVERDUE: { status: 409, message: 'Intervention reports are overdue; file them before requesting a new window (Art. 42)' },
  USAGE_OVERRIDE_REQUIRED: {
    status: 409, message: 'The window falls in a usage period or a blackout; approve it with overrideUsage: true',
  },
  ILLEGAL_TRANSITION: { status: 409, message: 'This intervention is over' },
  INTERVENTION_NOT_HELD: { status: 409, message: 'A report is filed for an intervention that took place' },
});
