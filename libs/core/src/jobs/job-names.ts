/** Every background job has a name here and exactly one handler (checked when the worker starts). */
export enum JobName {
  SendEmail = 'email.send',
}

export enum QueueName {
  Notifications = 'notifications',
}

export const QUEUE_OF: Record<JobName, QueueName> = {
  [JobName.SendEmail]: QueueName.Notifications,
};
