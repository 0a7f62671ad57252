import { ChildProcess, execFile, spawn } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePort } from './waiting';

const run = promisify(execFile);

/** The PostgreSQL binaries of this machine (Debian's, through /usr/local/bin or /usr/lib/postgresql/N/bin). */
function pgBin(name: string): string {
  return process.env.TEST_PG_BIN ? join(process.env.TEST_PG_BIN, name) : name;
}

/** Root may not run PostgreSQL: the cluster then belongs to the `postgres` account. */
function owner(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  return postgresIds();
}

function postgresIds(): { uid: number; gid: number } {
  const { execFileSync } = require('node:child_process') as typeof import('node:child_process');
  return { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) };
}

/**
 * A PostgreSQL cluster of the test's own (initdb in a temporary directory, its own port, trust auth),
 * for the tests that stop and start the database: the machine's cluster is never touched.
 */
export class OwnPostgres {
  private constructor(readonly dir: string, readonly port: number, private readonly ids?: { uid: number; gid: number }) {}

  static async start(): Promise<OwnPostgres> {
    const dir = mkdtempSync(join(tmpdir(), 'pg-own-'));
    const ids = owner();
    if (ids) chownSync(dir, ids.uid, ids.gid);
    const pg = new OwnPostgres(dir, await freePort(), ids);
    await pg.exec('initdb', ['-D', join(dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
    await pg.startServer();
    return pg;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  urlFor(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = [], database = 'postgres'): Promise<T[]> {
    const client = new Client({ connectionString: this.urlFor(database) });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  /** Stops the server at once (`-m immediate`, as a crash or a pulled cable would look to the clients). */
  async stop(): Promise<void> {
    await this.exec('pg_ctl', ['-D', join(this.dir, 'data'), '-m', 'immediate', '-w', 'stop']);
  }

  async startServer(): Promise<void> {
    const options = `-p ${this.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${this.dir}`
      + ' -c fsync=off -c max_connections=200';
    await this.exec('pg_ctl', ['-D', join(this.dir, 'data'), '-l', join(this.dir, 'log'), '-o', options, '-w', 'start']);
  }

  async destroy(): Promise<void> {
    await this.stop().catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async exec(name: string, args: string[]): Promise<void> {
    await run(pgBin(name), args, { uid: this.ids?.uid, gid: this.ids?.gid, cwd: this.dir, env: { ...process.env, LC_ALL: 'C.UTF-8' } });
  }
}

/** A Redis of the test's own, on its own port, that the test may kill and start again on the same port. */
export class OwnRedis {
  private process?: ChildProcess;

  private constructor(readonly port: number) {}

  static async start(): Promise<OwnRedis> {
    const redis = new OwnRedis(await freePort());
    await redis.startServer();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async startServer(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'inherit'] });
    this.process = child;
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('Ready to accept connections')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${out.slice(-500)}`)));
    });
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}
