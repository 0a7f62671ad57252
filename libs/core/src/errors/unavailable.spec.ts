import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { QueryFailedError } from 'typeorm';
import { isServiceUnavailable, ServiceUnavailableError } from './unavailable';

/** A port of this machine where nobody listens. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('isServiceUnavailable', () => {
  it('R-INT recognises what pg and ioredis really throw when their server is away', async () => {
    const port = await closedPort();
    const pg = await new Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/x` }).connect().catch((e: unknown) => e);
    expect(isServiceUnavailable(pg)).toBe(true);
    expect(isServiceUnavailable(new QueryFailedError('SELECT 1', [], pg as Error))).toBe(true);
    const redis = new Redis({ port, host: '127.0.0.1', lazyConnect: true, enableOfflineQueue: false, retryStrategy: () => null });
    const ping = await redis.ping().catch((e: unknown) => e);
    redis.disconnect();
    expect(isServiceUnavailable(ping)).toBe(true);
  });

  it('R-INT recognises PostgreSQL shutting down, starting, refusing connections, and a connection lost mid-query', () => {
    for (const code of ['57P01', '57P02', '57P03', '08006', '08001', '53300']) {
      expect(isServiceUnavailable(Object.assign(new Error('x'), { code }))).toBe(true);
    }
    expect(isServiceUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isServiceUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isServiceUnavailable(new ServiceUnavailableError())).toBe(true);
  });

  it('R-INT leaves faults of the request or of the code alone (they stay 4xx or 500)', () => {
    expect(isServiceUnavailable(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(isServiceUnavailable(Object.assign(new Error('syntax error'), { code: '42601' }))).toBe(false);
    expect(isServiceUnavailable(new TypeError('Cannot read properties of undefined'))).toBe(false);
    expect(isServiceUnavailable(undefined)).toBe(false);
  });
});
