import { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** What the benches share: the admin connection and fresh databases (as the tests have them), a seeded PRNG, the API as a child process. */
export { ADMIN_URL, urlFor, withDb } from '../libs/testing/src/databases';

/** Deterministic pseudo-random numbers (mulberry32), so every run sends and asks the same things. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/** The API just spawned, once it answers /health/live (killed if it does not within 30 s). */
export async function whenLive(child: ChildProcess, base: string): Promise<ChildProcess> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The API exited with code ${child.exitCode} before answering /health/live`);
    try {
      if ((await fetch(`${base}/health/live`)).ok) return child;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  child.kill('SIGTERM');
  throw new Error('The API did not answer /health/live within 30 s');
}

export async function stopApi(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
