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

type Instances<S extends Type[]> = { [K in keyof S]: S[K] extends Type<infer T> ? T : never };

/** A worker-side provider whose job only calls these services (`run` gets them in order; its result is not kept). */
export function jobCalling<S extends Type[]>(
  name: JobName, services: [...S], run: (...targets: Instances<S>) => Promise<unknown>,
): Type<unknown> {
  @Injectable()
  class JobCalling {
    private readonly targets: Instances<S>;

    constructor(...targets: Instances<S>) {
      this.targets = targets;
    }

    @OnJob(name)
    async handle(): Promise<void> {
      await run(...this.targets);
    }
  }
  services.forEach((service, index) => Inject(service)(JobCalling, undefined, index));
  Object.defineProperty(JobCalling, 'name', { value: `${services.map((s) => s.name).join('')}Job` });
  return JobCalling;
}
