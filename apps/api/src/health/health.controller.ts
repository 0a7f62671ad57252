import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { RedisConnection } from '@app/core';
import { Public } from '@app/identity';

/** Liveness (the process answers) and readiness (PostgreSQL and Redis answer). */
@ApiTags('health')
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly redis: RedisConnection,
  ) {}

  @Get('live') @Public()
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready') @Public() @HealthCheck()
  ready() {
    return this.health.check([
      () => this.db.pingCheck('database', { timeout: 2000 }),
      async () => {
        const check = this.indicators.check('redis');
        return (await this.redis.ping()) ? check.up() : check.down({ message: 'Redis does not answer' });
      },
    ]);
  }
}
