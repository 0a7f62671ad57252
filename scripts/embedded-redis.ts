import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';

export interface EmbeddedRedis {
  url: string;
  stop(): Promise<void>;
}

/** Whether something answers TCP at host:port within a second. */
export function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port, timeout: 1000 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

/**
 * The zero-setup default for the queues: the Redis at 127.0.0.1:6379 when one runs; otherwise, when
 * `redis-server` is installed, one of our own under .data/redis (append-only file on: it carries the
 * jobs); otherwise null, and the caller says what waits without it.
 */
export async function startEmbeddedRedis(dataDir: string, port: number, machinePort = 6379): Promise<EmbeddedRedis | 'machine' | null> {
  if (await reachable('127.0.0.1', machinePort)) return 'machine';
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status !== 0) return null;
  const dir = join(dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const child: ChildProcess = spawn('redis-server', [
    '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '', '--maxmemory-policy', 'noeviction',
  ], { stdio: 'ignore' });
  for (let i = 0; i < 50 && !(await reachable('127.0.0.1', port)); i++) await new Promise((r) => setTimeout(r, 100));
  if (!(await reachable('127.0.0.1', port))) {
    child.kill();
    return null;
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}
