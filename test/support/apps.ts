// A jest setup file of the e2e project: gives TestContext (libs/testing) the apps it starts.
import { provideAppsUnderTest } from '@app/testing';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { WorkerModule } from '../../apps/worker/src/worker.module';

provideAppsUnderTest({ createApi: createApiApp, workerModule: (options) => WorkerModule.forRoot(options) });
