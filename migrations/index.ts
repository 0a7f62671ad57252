import { Foundation1763900000000 } from './1763900000000-foundation';
import { ContractorsAndCharters1763900000001 } from './1763900000001-contractors-and-charters';
import { AccountsScopesDerogations1763900000002 } from './1763900000002-accounts-scopes-derogations';
import { Webhooks1763900000003 } from './1763900000003-webhooks';
import { InterventionsAndDecisions1763900000004 } from './1763900000004-interventions-and-decisions';
import { DecisionLookups1763900000005 } from './1763900000005-decision-lookups';
import { IdempotencyKeys1763900000006 } from './1763900000006-idempotency-keys';
import { ConnectionJournal1763900000007 } from './1763900000007-connection-journal';
import { AccessReviews1763900000008 } from './1763900000008-access-reviews';
import { ListIndexes1763900000009 } from './1763900000009-list-indexes';
import { DecisionLogRetention1763900000010 } from './1763900000010-decision-log-retention';
import { InvitationRevocation1763900000011 } from './1763900000011-invitation-revocation';
import { WebhookSecretRotation1763900000012 } from './1763900000012-webhook-secret-rotation';
import { ApprovalsQueueIndexes1763900000020 } from './1763900000020-approvals-queue-indexes';
import { MfaEnrolmentLinks1763900000021 } from './1763900000021-mfa-enrolment-links';
import { InvitationResendLimit1763900000031 } from './1763900000031-invitation-resend-limit';
import { DepartureReinstatement1763900000040 } from './1763900000040-departure-reinstatement';
import { MfaChallenges1763900000060 } from './1763900000060-mfa-challenges';
import { EvidenceRoles1763900000080 } from './1763900000080-evidence-roles';
import { ReportLateInstant1763900000090 } from './1763900000090-report-late-instant';
import { AnomalyCases1763900000120 } from './1763900000120-anomaly-cases';
import { ActsAndAttestations1763900000130 } from './1763900000130-acts-and-attestations';
import { DirectoryProvisioning1763900000170 } from './1763900000170-directory-provisioning';
import { SessionCompletions1763900000180 } from './1763900000180-session-completions';
import { Identities1763900000190 } from './1763900000190-identities';
import { DepartureOrigin1763900000195 } from './1763900000195-departure-origin';
import { SsoProviders1763900000200 } from './1763900000200-sso-providers';
import { SessionSecondFactor1763900000205 } from './1763900000205-session-second-factor';

/** The one migration chain, in order. A new migration is appended here. */
export const MIGRATIONS = [
  Foundation1763900000000,
  ContractorsAndCharters1763900000001,
  AccountsScopesDerogations1763900000002,
  Webhooks1763900000003,
  InterventionsAndDecisions1763900000004,
  DecisionLookups1763900000005,
  IdempotencyKeys1763900000006,
  ConnectionJournal1763900000007,
  AccessReviews1763900000008,
  ListIndexes1763900000009,
  DecisionLogRetention1763900000010,
  InvitationRevocation1763900000011,
  WebhookSecretRotation1763900000012,
  ApprovalsQueueIndexes1763900000020,
  MfaEnrolmentLinks1763900000021,
  InvitationResendLimit1763900000031,
  DepartureReinstatement1763900000040,
  MfaChallenges1763900000060,
  EvidenceRoles1763900000080,
  ReportLateInstant1763900000090,
  AnomalyCases1763900000120,
  ActsAndAttestations1763900000130,
  DirectoryProvisioning1763900000170,
  SessionCompletions1763900000180,
  Identities1763900000190,
  DepartureOrigin1763900000195,
  SsoProviders1763900000200,
  SessionSecondFactor1763900000205,
];
