import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { JOB_HANDLER, JobContext, JobName } from '@app/core';

type Handler = (payload: unknown, ctx: JobContext) => Promise<void>;

/**
 * Finds every @OnJob method of the worker's providers. Startup fails when a job has no handler
 * or two, so a job can neither be forgotten nor handled twice.
 */
@Injectable()
export class JobRegistry implements OnModuleInit {
  private readonly handlers = new Map<JobName, Handler>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance);
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const name = Reflect.getMetadata(JOB_HANDLER, prototype[method]) as JobName | undefined;
        if (!name) continue;
        if (this.handlers.has(name)) throw new Error(`Job "${name}" has two handlers`);
        this.handlers.set(name, (instance[method] as Handler).bind(instance));
      }
    }
    const missing = Object.values(JobName).filter((name) => !this.handlers.has(name));
    if (missing.length) throw new Error(`Jobs without a handler: ${missing.join(', ')}`);
  }

  async dispatch(name: string, payload: unknown, ctx: JobContext): Promise<void> {
    const handler = this.handlers.get(name as JobName);
    if (!handler) throw new Error(`No handler for job "${name}"`);
    await handler(payload, ctx);
  }
}
