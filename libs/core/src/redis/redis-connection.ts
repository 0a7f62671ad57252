import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG, AppConfig } from '../config/app-config';

/**
 * A Redis client that never blocks a request: commands fail fast while Redis is away, and the
 * service logs one warning when it goes and one line when it is back (jobs wait in the outbox).
 */
@Injectable()
export class RedisConnection implements OnModuleDestroy {
  private readonly log = new Logger('Redis');
  readonly client: Redis;
  private up = false;
  private warned = false;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.client = new Redis(config.redis.url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      retryStrategy: () => 2000,
    });
    this.client.on('ready', () => {
      this.up = true;
      if (this.warned) this.log.log('Redis is reachable again; queued notifications will now be relayed');
      this.warned = false;
    });
    this.client.on('error', (error: Error) => {
      this.up = false;
      if (!this.warned) {
        this.warned = true;
        this.log.warn(`Redis unreachable (${error.message}); the API keeps serving and notifications wait in the outbox`);
      }
    });
    this.client.connect().catch(() => undefined);
  }

  get isUp(): boolean {
    return this.up;
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.client.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  onModuleDestroy(): void {
    this.client.disconnect();
  }
}
