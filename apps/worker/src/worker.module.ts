import { DynamicModule, Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { DiscoveryModule } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, AppConfig, CoreModule, CoreOptions, QueueName } from '@app/core';
import { NotificationsWorkerModule } from '@app/notifications';
import { ContractorsWorkerModule } from '@app/contractors';
import { ChartersWorkerModule } from '@app/charters';
import { AccountsWorkerModule } from '@app/accounts';
import { InterventionsWorkerModule } from '@app/interventions';
import { JournalWorkerModule } from '@app/journal';
import { ReviewsWorkerModule } from '@app/reviews';
import { DigestsWorkerModule } from '@app/digests';
import { ProvisioningWorkerModule } from '@app/provisioning';
import { SchedulerProcessor } from './processors/scheduler.processor';
import { JobRegistry } from './job-registry';
import { OutboxRelay } from './outbox-relay';
import { NotificationsProcessor } from './processors/notifications.processor';

/** Same libraries as the API, no controllers: the outbox relay and one processor per queue. */
@Module({})
export class WorkerModule {
  static forRoot(options: CoreOptions = {}): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        CoreModule.forRoot(options),
        LoggerModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => {
            const params = { level: config.logLevel, customProps: () => ({ service: 'worker' }) };
            return { pinoHttp: options.logDestination ? [params, options.logDestination] : params };
          },
        }),
        BullModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            connection: { url: config.redis.url, maxRetriesPerRequest: null, retryStrategy: () => 1000 },
            prefix: config.redis.queuePrefix,
          }),
        }),
        BullModule.registerQueue({ name: QueueName.Notifications }, { name: QueueName.Scheduler }),
        DiscoveryModule,
        NotificationsWorkerModule,
        ContractorsWorkerModule,
        ChartersWorkerModule,
        AccountsWorkerModule,
        InterventionsWorkerModule,
        JournalWorkerModule,
        ReviewsWorkerModule,
        DigestsWorkerModule,
        ProvisioningWorkerModule,
      ],
      providers: [JobRegistry, OutboxRelay, NotificationsProcessor, SchedulerProcessor],
      exports: [OutboxRelay, JobRegistry],
    };
  }
}
