/** Every text of the console, one file per area: [French, English]. French is the default language. */
import { ACCOUNTS } from './accounts';
import { ACTS } from './acts';
import { AUDIT } from './audit';
import { AUTH } from './auth';
import { COMMON } from './common';
import { CONTRACTORS } from './contractors';
import { DEPARTURES } from './departures';
import { DIRECTORY } from './directory';
import { DOCUMENTS } from './documents';
import { GATEWAYS } from './gateways';
import { HOME } from './home';
import { INTERVENTIONS } from './interventions';
import { JOURNAL } from './journal';
import type { Repeated } from './messages';
import { MEMBERSHIPS } from './memberships';
import { PLATFORM } from './platform';
import { POLICY } from './policy';
import { REVIEWS } from './reviews';
import { SSO } from './sso';
import { USERS } from './users';

export const MESSAGES = {
  ...COMMON, ...AUTH, ...CONTRACTORS, ...DOCUMENTS, ...ACCOUNTS, ...INTERVENTIONS, ...DEPARTURES,
  ...REVIEWS, ...JOURNAL, ...GATEWAYS, ...POLICY, ...USERS, ...PLATFORM, ...HOME, ...ACTS, ...AUDIT, ...DIRECTORY, ...SSO,
  ...MEMBERSHIPS,
};

type Areas = [
  typeof COMMON, typeof AUTH, typeof CONTRACTORS, typeof DOCUMENTS, typeof ACCOUNTS, typeof INTERVENTIONS, typeof DEPARTURES,
  typeof REVIEWS, typeof JOURNAL, typeof GATEWAYS, typeof POLICY, typeof USERS, typeof PLATFORM, typeof HOME, typeof ACTS, typeof AUDIT, typeof DIRECTORY,
  typeof SSO,
  typeof MEMBERSHIPS,
];
// A key defined in two areas makes this line fail to compile, naming the key.
export const NO_KEY_TWICE: [Repeated<Areas>] extends [never] ? true : Repeated<Areas> = true;

export type MessageKey = keyof typeof MESSAGES;
