import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, AppConfig, CoreModule, CoreOptions, ProblemFilter } from '@app/core';
import { AccessGuard, IdentityHttpModule } from '@app/identity';
import { NotificationsModule } from '@app/notifications';
import { ContractorsModule } from '@app/contractors';
import { ChartersModule } from '@app/charters';
import { AccountsModule } from '@app/accounts';
import { DerogationsModule } from '@app/derogations';
import { AccountsController } from './accounts/accounts.controller';
import { DerogationsController } from './derogations/derogations.controller';
import { ChartersController } from './charters/charters.controller';
import { ContractorsController } from './contractors/contractors.controller';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { AuditController } from './audit/audit.controller';
import { AuthController } from './auth/auth.controller';
import { AUTH_RATE_LIMITED } from './auth/rate-limit';
import { HealthController } from './health/health.controller';
import { TenantsController } from './tenants/tenants.controller';
import { UsersController } from './users/users.controller';
import { WebhooksController } from './webhooks/webhooks.controller';

/** Secrets that must never reach a log line, whatever the level. */
export const REDACTED_PATHS = [
  'req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie', 'res.headers["set-cookie"]',
];

export function loggerModule(): DynamicModule {
  return LoggerModule.forRootAsync({
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => ({
      pinoHttp: {
        level: config.logLevel,
        genReqId: (req: IncomingMessage & { id?: string }) => req.id ?? randomUUID(),
        redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
        customProps: () => ({ service: 'api' }),
        serializers: {
          req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url.split('?')[0] }),
        },
      },
    }),
  });
}

@Module({})
export class AppModule {
  static forRoot(options: CoreOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(options),
        loggerModule(),
        ThrottlerModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            throttlers: [
              { name: 'default', ttl: 60_000, limit: 6000 },
              {
                name: 'auth', ttl: 60_000, limit: config.auth.rateLimitPerMinute,
                skipIf: (ctx) => !Reflect.getMetadata(AUTH_RATE_LIMITED, ctx.getClass()),
              },
            ],
          }),
        }),
        TerminusModule,
        NotificationsModule,
        IdentityHttpModule,
        ContractorsModule,
        ChartersModule,
        DerogationsModule,
        AccountsModule,
      ],
      controllers: [
        AuthController, TenantsController, UsersController, ApiKeysController, AuditController, HealthController,
        ContractorsController, ChartersController, AccountsController, DerogationsController,
        WebhooksController,
      ],
      providers: [
        { provide: APP_GUARD, useClass: ThrottlerGuard },
        { provide: APP_GUARD, useExisting: AccessGuard },
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
    };
  }
}
