import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * A TCP port free on the loopback right now, for a listener the test configures by number (syslog,
 * metrics, a Redis of its own) and may close and open again on the same port. Chosen at random below
 * the kernel's ephemeral range (net.ipv4.ip_local_port_range), where the system never hands out ports
 * by itself: while the product starts, or while a test restarts its listener, no outgoing connection
 * of this machine and no `listen(0)` (of another test file, another engineer's run) can take it, as
 * one could take a port that `listen(0)` gave and that was then closed.
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
