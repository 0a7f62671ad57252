import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import { AppConfig, isServiceUnavailable, RedisConnection } from '@app/core';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * Rate-limit counts shared by every API process, in Redis under the deployment's prefix (docs/adr/rate-limits.md).
 * While Redis is away each process counts alone, so the API keeps serving (R-INT).
 */
export class SharedThrottlerStorage implements ThrottlerStorage {
  private readonly shared: ThrottlerStorageRedisService;
  private readonly local = new ThrottlerStorageService();
  private readonly prefix: string;

  constructor(private readonly redis: RedisConnection, config: AppConfig) {
    this.shared = new ThrottlerStorageRedisService(redis.client);
    this.prefix = `${config.redis.queuePrefix}:throttle`;
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, name: string): Promise<ThrottlerStorageRecord> {
    if (this.redis.isUp) {
      try {
        return await this.shared.increment(`${this.prefix}:${key}`, ttl, limit, blockDuration, name);
      } catch (error) {
        if (!isServiceUnavailable(error)) throw error;
      }
    }
    return this.local.increment(key, ttl, limit, blockDuration, name);
  }
}
