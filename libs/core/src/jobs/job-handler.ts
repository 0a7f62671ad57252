import { Inject, Injectable, SetMetadata, Type } from '@nestjs/common';
import { JobName } from './job-names';

export const JOB_HANDLER = Symbol('JOB_HANDLER');

/** Marks a provider method as the handler of one job. The worker discovers them at startup. */
export const OnJob = (name: JobName) => SetMetadata(JOB_HANDLER, name);

export interface JobContext {
  /** The outbox row this job delivers, when it came through the outbox. */
  outboxId?: string;
  attempt: number;
}

/** A worker-side provider whose job is one call of a service's method (its result is not kept). */
export function jobCalling<T>(name: JobName, service: Type<T>, run: (service: T) => Promise<unknown>): Type<unknown> {
  @Injectable()
  class JobCalling {
    constructor(@Inject(service) private readonly target: T) {}

    @OnJob(name)
    async handle(): Promise<void> {
      await run(this.target);
    }
  }
  Object.defineProperty(JobCalling, 'name', { value: `${service.name}Job` });
  return JobCalling;
}
