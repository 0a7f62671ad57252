import { ChildProcess, spawn } from 'node:child_process';
import { get } from 'node:http';
import { connect } from 'node:net';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '@app/testing';

const ROOT = resolve(__dirname, '..', '..', '..');
const LAUNCHER = join(__dirname, 'run-ts.js');
const ENTRIES = { api: 'apps/api/src/main.ts', worker: 'apps/worker/src/main.ts' } as const;
/** Boot compiles the sources and loads Nest: seconds on a quiet machine, far more on a loaded one. */
const BOOT_TIMEOUT_MS = 90_000;
const KEPT_OUTPUT = 400_000;

export type ProcessKind = keyof typeof ENTRIES;
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const running = new Set<ProductProcess>();

/**
 * One real OS process of the product (`apps/api` or `apps/worker`, started from its main.ts like
 * in production), with its logs kept for assertions and for the failure message. Every process
 * started here is stopped by `stopAll()` (call it in afterAll), even when a test failed.
 */
export class ProductProcess {
  private output = '';
  readonly exited: Promise<Exit>;
  private exit?: Exit;

  private constructor(
    readonly kind: ProcessKind,
    private readonly child: ChildProcess,
    readonly port: number | null,
  ) {
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString('utf8')).slice(-KEPT_OUTPUT);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.exited = new Promise((done) => child.once('exit', (code, signal) => {
      this.exit = { code, signal };
      running.delete(this);
      done(this.exit);
    }));
  }

  /** Starts the process with this environment (plus PATH, logs at info) and waits until it serves (API) or runs (worker). */
  static async start(kind: ProcessKind, env: Record<string, string | undefined>): Promise<ProductProcess> {
    const port = kind === 'api' ? await freePort() : null;
    // Logs at info: the worker says when it runs, and a failing test shows what the process did.
    const childEnv: NodeJS.ProcessEnv = {
      PATH: process.env.PATH, METRICS_PORT: '0', ...env, LOG_LEVEL: 'info', ...(port ? { PORT: String(port), HOST: '127.0.0.1' } : {}),
    };
    const child = spawn(process.execPath, [LAUNCHER, ENTRIES[kind]], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    const proc = new ProductProcess(kind, child, port);
    running.add(proc);
    try {
      await proc.ready();
    } catch (error) {
      await proc.stop();
      throw error;
    }
    return proc;
  }

  static async stopAll(): Promise<void> {
    await Promise.all([...running].map((p) => p.stop()));
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** The name the worker gives itself in BullMQ: every job it ran keeps it (`processedBy`). */
  get workerName(): string {
    return `${hostname()}:${this.pid}`;
  }

  get url(): string {
    if (!this.port) throw new Error('A worker serves no HTTP');
    return `http://127.0.0.1:${this.port}`;
  }

  get alive(): boolean {
    return !this.exit;
  }

  logs(): string {
    return this.output;
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Waits for the exit, failing with the process's last logs after `timeoutMs`. */
  async waitForExit(timeoutMs = 30_000): Promise<Exit> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${this.describe()} did not exit within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** SIGTERM, then SIGKILL if it has not exited after 20 s. */
  async stop(): Promise<Exit> {
    if (this.exit) return this.exit;
    this.signal('SIGTERM');
    return this.waitForExit(20_000).catch(() => {
      this.signal('SIGKILL');
      return this.exited;
    });
  }

  describe(): string {
    return `${this.kind} process ${this.pid}; its last output:\n${this.output.slice(-4000)}`;
  }

  private async ready(): Promise<void> {
    const deadline = Date.now() + BOOT_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (this.exit) throw new Error(`The ${this.describe()}\n(exited with ${JSON.stringify(this.exit)} while starting)`);
      if (this.kind === 'worker' ? this.output.includes('"msg":"worker started"') : await answers(`${this.url}/health/live`)) return;
      await sleep(100);
    }
    throw new Error(`The ${this.describe()}\n(not ready after ${BOOT_TIMEOUT_MS} ms)`);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `probe` until it returns something other than undefined, or fails after `timeoutMs` with `what`. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Whether a new TCP connection to the port is refused (nothing listens any more). */
export function refusesConnections(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      done(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code === 'ECONNREFUSED'));
  });
}

function answers(url: string): Promise<boolean> {
  return new Promise((done) => {
    const req = get(url, (res) => {
      res.resume();
      done(res.statusCode === 200);
    });
    req.setTimeout(2000, () => req.destroy());
    req.once('error', () => done(false));
  });
}
