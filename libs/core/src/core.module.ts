import { DynamicModule, Global, Module } from '@nestjs/common';
import { AuditService } from './audit/audit.service';
import { Clock, SystemClock } from './clock/clock';
import { AppConfigModule } from './config/config.module';
import { Secrets } from './crypto/secrets';
import { DatabaseModule } from './database/database.module';
import { OutboxService } from './outbox/outbox.service';
import { RedisConnection } from './redis/redis-connection';
import { FileStore } from './files/file-store';
import { PostgresFileStore } from './files/file-store.repository';
import { AuditRepository } from './audit/audit.repository';
import { OutboxRepository } from './outbox/outbox.repository';
import { IdempotencyRepository } from './idempotency/idempotency.repository';
import { EvidenceRepository } from './evidence/evidence.repository';
import { DomainEvents } from './events/domain-events';
import { Metrics } from './metrics/metrics';
import { MetricsServer } from './metrics/metrics-server';
import { SharedMetricsSources } from './metrics/shared-sources';
import { EvidenceCheckpoints } from './evidence/checkpoints';
import { EvidenceProtection } from './evidence/evidence-protection';

export interface CoreOptions {
  /** Values that take precedence over the environment (tests, the launcher). */
  env?: Record<string, string | undefined>;
  clock?: Clock;
  /** Where the pino logger writes its JSON lines (default: stdout); tests read them to prove no secret is logged. */
  logDestination?: { write(line: string): void };
}

@Global()
@Module({})
export class CoreModule {
  static forRoot(options: CoreOptions = {}): DynamicModule {
    return {
      module: CoreModule,
      imports: [AppConfigModule.forRoot(options.env), DatabaseModule],
      providers: [
        { provide: Clock, useValue: options.clock ?? new SystemClock() },
        Secrets,
        AuditRepository,
        AuditService,
        OutboxRepository,
        OutboxService,
        IdempotencyRepository,
        EvidenceRepository,
        RedisConnection,
        DomainEvents,
        { provide: FileStore, useClass: PostgresFileStore },
        Metrics,
        SharedMetricsSources,
        MetricsServer,
        EvidenceCheckpoints,
        EvidenceProtection,
      ],
      exports: [
        Clock, Secrets, AuditService, OutboxService, IdempotencyRepository, RedisConnection, DomainEvents, FileStore, DatabaseModule,
        Metrics, MetricsServer, EvidenceCheckpoints,
      ],
    };
  }
}
