import { SetMetadata } from '@nestjs/common';
import { JobName } from './job-names';

export const JOB_HANDLER = Symbol('JOB_HANDLER');

/** Marks a provider method as the handler of one job. The worker discovers them at startup. */
export const OnJob = (name: JobName) => SetMetadata(JOB_HANDLER, name);

export interface JobContext {
  /** The outbox row this job delivers, when it came through the outbox. */
  outboxId?: string;
  attempt: number;
}
