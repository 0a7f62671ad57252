import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { DynamicModule, ExecutionContext, Module, RequestMethod } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, AppConfig, CoreModule, CoreOptions, IdempotencyInterceptor, ProblemFilter, RedisConnection } from '@app/core';
import { ACCESS_RULE, AccessGuard, AccessRule, IdentityHttpModule } from '@app/identity';
import { NotificationsModule } from '@app/notifications';
import { ContractorsModule } from '@app/contractors';
import { ChartersModule } from '@app/charters';
import { AccountsModule } from '@app/accounts';
import { InterventionsModule } from '@app/interventions';
import { JournalModule } from '@app/journal';
import { ReviewsModule } from '@app/reviews';
import { ReviewsController } from './reviews/reviews.controller';
import { EvidenceModule } from '@app/evidence';
import { DigestsModule } from '@app/digests';
import { HomeController } from './home/home.controller';
import { ProvisioningModule } from '@app/provisioning';
import { EvidenceController } from './evidence/evidence.controller';
import { JournalApiModule } from '@app/journal';
import { JournalController } from './journal/journal.controller';
import { AnomaliesController } from './journal/anomalies.controller';
import { AnomalyCasesController } from './journal/anomaly-cases.controller';
import { ExportsController } from './journal/exports.controller';
import { InterventionsController } from './interventions/interventions.controller';
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
import { SharedThrottlerStorage } from './common/throttler-storage';
import { DirectoryController } from './directory/directory.controller';
import { SsoSignInController } from './auth/sso-sign-in.controller';
import { SsoController } from './sso/sso.controller';

/** Secrets that must never reach a log line, whatever the level. */
export const REDACTED_PATHS = [
  'req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie', 'res.headers["set-cookie"]',
];

export function loggerModule(destination?: CoreOptions['logDestination']): DynamicModule {
  return LoggerModule.forRootAsync({
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => {
      const params = {
        level: config.logLevel,
        genReqId: (req: IncomingMessage & { id?: string }) => req.id ?? randomUUID(),
        redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
        customProps: () => ({ service: 'api' }),
        serializers: {
          req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url.split('?')[0] }),
          res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        },
      };
      // Every route, written so that @fastify/middie matches it (nestjs-pino's default matches none). Not logged per
      // request: health probes, and access decisions, each already recorded in access_decisions and counted in /metrics
      // (a log line each would double the hot path's cost, R-ART36); their unexpected errors still are (ProblemFilter).
      const exclude = [{ path: 'health/{*splat}', method: RequestMethod.GET }, { path: 'v1/access-decisions', method: RequestMethod.POST }];
      const forRoutes = [{ path: '{*splat}', method: RequestMethod.ALL }];
      return { pinoHttp: destination ? [params, destination] : params, forRoutes, exclude };
    },
  });
}

/** True for routes that only gateways call (`@Gateway(scope)`): see the 'default' throttler. */
export function isGatewayRoute(ctx: ExecutionContext): boolean {
  const rule = Reflect.getMetadata(ACCESS_RULE, ctx.getHandler()) ?? Reflect.getMetadata(ACCESS_RULE, ctx.getClass());
  return (rule as AccessRule | undefined)?.kind === 'gateway';
}

@Module({})
export class AppModule {
  static forRoot(options: CoreOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(options),
        loggerModule(options.logDestination),
        ThrottlerModule.forRootAsync({
          inject: [APP_CONFIG, RedisConnection],
          useFactory: (config: AppConfig, redis: RedisConnection) => ({
            storage: new SharedThrottlerStorage(redis, config),
            throttlers: [
              // Per-IP limit for people's routes. Gateway routes (API key) are exempt: a gateway asks from one address for
              // every contractor behind it, and a 429 would refuse a legitimate access (docs/adr/rate-limits.md).
              { name: 'default', ttl: 60_000, limit: 6000, skipIf: isGatewayRoute },
              {
                name: 'auth', ttl: 60_000, limit: config.auth.rateLimitPerMinute,
                skipIf: (ctx) => !Reflect.getMetadata(AUTH_RATE_LIMITED, ctx.getHandler()),
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
        InterventionsModule,
        JournalModule,
        JournalApiModule,
        ReviewsModule,
        EvidenceModule,
        DigestsModule,
        ProvisioningModule,
      ],
      controllers: [
        AuthController, TenantsController, UsersController, ApiKeysController, AuditController, HealthController,
        ContractorsController, ChartersController, AccountsController, DerogationsController,
        WebhooksController, InterventionsController, JournalController, ReviewsController, AnomaliesController, AnomalyCasesController,
        ExportsController,
        EvidenceController, HomeController, DirectoryController, SsoController, SsoSignInController,
      ],
      providers: [
        { provide: APP_GUARD, useClass: ThrottlerGuard },
        { provide: APP_GUARD, useExisting: AccessGuard },
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
      ],
    };
  }
}
