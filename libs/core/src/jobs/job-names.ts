/** Every background job has a name here and exactly one handler (checked when the worker starts). */
export enum JobName {
  SendEmail = 'email.send',
  WebhookDeliver = 'webhook.deliver',
  ContractorsDaily = 'contractors.daily',
  CharterDeadlines = 'charters.deadlines',
  AccountsDaily = 'accounts.daily',
  InterventionsDaily = 'interventions.daily',
  JournalMaintenance = 'journal.maintenance',
  ReviewsDaily = 'reviews.daily',
  JournalCorrelate = 'journal.correlate',
  DigestWeekly = 'digest.weekly',
  EvidenceCheckpoint = 'evidence.checkpoint',
  DirectorySync = 'directory.sync',
  DirectorySweep = 'directory.sweep',
  DirectoryReconcile = 'directory.reconcile',
}

export enum QueueName {
  Notifications = 'notifications',
  Scheduler = 'scheduler',
}

export const QUEUE_OF: Record<JobName, QueueName> = {
  [JobName.SendEmail]: QueueName.Notifications,
  [JobName.WebhookDeliver]: QueueName.Notifications,
  [JobName.ContractorsDaily]: QueueName.Scheduler,
  [JobName.CharterDeadlines]: QueueName.Scheduler,
  [JobName.AccountsDaily]: QueueName.Scheduler,
  [JobName.InterventionsDaily]: QueueName.Scheduler,
  [JobName.JournalMaintenance]: QueueName.Scheduler,
  [JobName.ReviewsDaily]: QueueName.Scheduler,
  [JobName.JournalCorrelate]: QueueName.Scheduler,
  [JobName.DigestWeekly]: QueueName.Scheduler,
  [JobName.EvidenceCheckpoint]: QueueName.Scheduler,
  [JobName.DirectorySync]: QueueName.Notifications,
  [JobName.DirectorySweep]: QueueName.Scheduler,
  [JobName.DirectoryReconcile]: QueueName.Scheduler,
};

/**
 * Recurring jobs, registered as BullMQ job schedulers: one job per period whatever the number of
 * worker processes. They run hourly and are idempotent (each reminder has a de-duplication key),
 * so a day's work happens on each tenant's local day whatever its time zone.
 */
export const SCHEDULES: { job: JobName; everyMs: number }[] = [
  { job: JobName.ContractorsDaily, everyMs: 60 * 60 * 1000 },
  { job: JobName.CharterDeadlines, everyMs: 60 * 60 * 1000 },
  { job: JobName.AccountsDaily, everyMs: 60 * 60 * 1000 },
  { job: JobName.InterventionsDaily, everyMs: 60 * 60 * 1000 },
  { job: JobName.JournalMaintenance, everyMs: 60 * 60 * 1000 },
  { job: JobName.ReviewsDaily, everyMs: 60 * 60 * 1000 },
  // R-ART41: correlation of the journal's new batches; anomalies reach the RSSI within a minute.
  { job: JobName.JournalCorrelate, everyMs: 30 * 1000 },
  // R-DIG: hourly, but each tenant's digest goes out once per ISO week (outbox de-duplication key).
  { job: JobName.DigestWeekly, everyMs: 60 * 60 * 1000 },
  // R-INT: every chain's head signed with the key outside the database, kept outside it too.
  { job: JobName.EvidenceCheckpoint, everyMs: 60 * 60 * 1000 },
  // R-PROV: what changed without an event (an expired habilitation, a gate that closed) reaches the directory within a minute.
  { job: JobName.DirectorySweep, everyMs: 30 * 1000 },
  // R-PROV: the directory compared with Prestagate; drift reported to the RSSI.
  { job: JobName.DirectoryReconcile, everyMs: 60 * 60 * 1000 },
];
