import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * A loopback port free now, for a listener a test configures by number and may reopen on the same port. Chosen below
 * the kernel's ephemeral range (ip_local_port_range): no outgoing connection or `listen(0)` elsewhere can take it meanwhile.
 */
export async function freePort(): Promise<number> {
  const below = ephemeralFloor();
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = below - 12_000 + Math.floor(Math.random() * 12_000);
    if (await canListen(port)) return port;
  }
  throw new Error(`No free port found below ${below}`);
}

function ephemeralFloor(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32_768;
  } catch {
    return 32_768; // not Linux: the IANA range starts higher (49152)
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer().once('error', () => resolve(false)).listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Reads until `done` holds or the time is up (then answers the last reading, for the assertion to show). */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Polls `check` until it holds; fails naming `what` when the time is up. */
export async function waitUntil(check: () => Promise<boolean>, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  if (!(await eventually(check, (ok) => ok, timeoutMs))) throw new Error(`${what} not reached within ${timeoutMs} ms`);
}
