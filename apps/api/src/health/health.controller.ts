import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { Db, RedisConnection } from '@app/core';
import { Public } from '@app/identity';

const PROBE_TIMEOUT_MS = 2000;

/**
 * Liveness (the process answers) and readiness (PostgreSQL and Redis answer). Unauthenticated, so a
 * component that is down is named (`database`, `redis`), never its address or the driver's message (R-INT).
 */
@ApiTags('health')
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly db: Db,
    private readonly redis: RedisConnection,
  ) {}

  @Get('live') @Public()
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready') @Public() @HealthCheck()
  ready() {
    return this.health.check([
      () => this.probe('database', 'The database does not answer', () => this.db.ping()),
      () => this.probe('redis', 'Redis does not answer', () => this.redis.ping()),
    ]);
  }

  private async probe(component: string, down: string, answers: () => Promise<boolean>) {
    const check = this.indicators.check(component);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS); });
    const up = await Promise.race([answers().catch(() => false), late]).finally(() => clearTimeout(timer));
    return up ? check.up() : check.down({ message: down });
  }
}
