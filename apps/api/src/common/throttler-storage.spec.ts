import { Redis } from 'ioredis';
import type { AppConfig, RedisConnection } from '@app/core';
import { SharedThrottlerStorage } from './throttler-storage';

const config = { redis: { queuePrefix: 'spec' } } as AppConfig;

/** A client that is not connected and queues nothing: every command fails at once, as while Redis is away. */
const clients: Redis[] = [];
function awayRedis(isUp: boolean): RedisConnection {
  const client = new Redis({ lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
  clients.push(client);
  return { client, isUp } as unknown as RedisConnection;
}
afterAll(() => clients.forEach((c) => c.disconnect()));

describe('R-INT rate-limit counts while Redis is away', () => {
  it.each([false, true])('R-INT are kept by the process (Redis known up: %s): the limit still holds', async (isUp) => {
    const storage = new SharedThrottlerStorage(awayRedis(isUp), config);
    const hits = [];
    for (let i = 0; i < 3; i++) hits.push(await storage.increment('k', 60_000, 2, 60_000, 'auth'));
    expect(hits.map((h) => [h.totalHits, h.isBlocked])).toEqual([[1, false], [2, false], [3, true]]);
    expect(hits[2].timeToBlockExpire).toBeGreaterThan(0);
  });
});
