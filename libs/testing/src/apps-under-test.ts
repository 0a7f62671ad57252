import { DynamicModule } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { CoreOptions } from '@app/core';

/** The API and worker that TestContext starts: a library imports no app, so test/support/apps.ts hands them in. */
export interface AppsUnderTest {
  createApi(options: CoreOptions): Promise<NestFastifyApplication>;
  workerModule(options: CoreOptions): DynamicModule;
}

let given: AppsUnderTest | undefined;

export function provideAppsUnderTest(apps: AppsUnderTest): void {
  given = apps;
}

export function appsUnderTest(): AppsUnderTest {
  if (!given) throw new Error('No apps under test: jest loads test/support/apps.ts first (setupFiles of the e2e project)');
  return given;
}
