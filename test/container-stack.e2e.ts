import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transformFileSync } from '@swc/core';
import { CONFIG_VARIABLES, ConfigError, parseConfig } from '@app/core';
import { TestContext } from '@app/testing';
import { documentedVariables, ROOT } from './support/operations-reference';

interface Service {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: (string | { host_ip?: string; published: number; target: number })[];
  deploy?: { replicas?: number };
  depends_on?: Record<string, { condition: string }>;
  networks?: Record<string, unknown>;
  volumes?: string[];
  restart?: string;
  profiles?: string[];
  healthcheck?: { test?: string[] };
}
interface ComposeConfig {
  services: Record<string, Service>;
  networks: Record<string, { ipam?: { config?: { subnet: string }[] } }>;
  volumes: Record<string, unknown>;
}

const work = mkdtempSync(join(tmpdir(), 'prestagate-stack-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * Debian's docker-compose 1.29 (`.ci/run` installs it): validation and interpolation of the stack file
 * need no Docker engine. Only PATH is passed, so the developer's own variables cannot leak in.
 */
function dockerCompose(envFile: string, args: string[]): string {
  try {
    return execFileSync('docker-compose', ['--env-file', envFile, '-f', 'docker/compose.yml', ...args], {
      cwd: ROOT, env: { PATH: process.env.PATH }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new Error('docker-compose is missing: apt-get install -y --no-install-recommends docker-compose (.ci/run does)');
    throw new Error(`docker-compose ${args.join(' ')} failed:\n${e.stderr ?? e.message}`);
  }
}

/** `docker-compose config` with the given .env lines, as JSON (PyYAML comes with docker-compose). */
function resolvedStack(envLines: string): ComposeConfig {
  const envFile = join(work, `env-${randomBytes(4).toString('hex')}`);
  writeFileSync(envFile, envLines);
  const yaml = dockerCompose(envFile, ['config']);
  const json = execFileSync('python3', ['-c', 'import sys, yaml, json; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'], { input: yaml, encoding: 'utf8' });
  return JSON.parse(json) as ComposeConfig;
}

/** A published port as `[address:]published:target`, whichever form docker-compose printed it in. */
function portSpec(port: NonNullable<Service['ports']>[number]): string {
  if (typeof port === 'string') return port.replace(/\/tcp$/, '');
  return [port.host_ip, port.published, port.target].filter((part) => part !== undefined).join(':');
}

const example = readFileSync(join(ROOT, 'docker/.env.example'), 'utf8');
const SECRETS = ['POSTGRES_PASSWORD', 'REDIS_PASSWORD', 'APP_SECRET'];
const generated = Object.fromEntries(SECRETS.map((name) => [name, randomBytes(32).toString('hex')]));
/** .env.example as an operator fills it: the empty secrets generated, everything else as shipped. */
const filledExample = example.replace(new RegExp(`^(${SECRETS.join('|')})=$`, 'gm'), (_, name: string) => `${name}=${generated[name]}`);

describe('Container stack (docker/compose.yml, docker/Dockerfile)', () => {
  let stack: ComposeConfig;
  beforeAll(() => {
    stack = resolvedStack(filledExample);
  });

  it('docker-compose validates the stack file as committed, with no .env at all', () => {
    const empty = join(work, 'empty.env');
    writeFileSync(empty, '');
    expect(dockerCompose(empty, ['config', '-q'])).toBe('');
  });

  it('runs two API replicas and two workers; only the proxy publishes ports, and it reaches every replica', () => {
    const { api, worker, proxy } = stack.services;
    expect(api.deploy?.replicas).toBe(2);
    expect(worker.deploy?.replicas).toBe(2);
    const published = Object.entries(stack.services).filter(([, s]) => s.ports?.length && !s.profiles?.includes('dev')).map(([name]) => name);
    expect(published).toEqual(['proxy']);
    expect(proxy.ports!.map(portSpec).sort()).toEqual(['127.0.0.1:1514:1514', '8080:8080']);

    // The proxy's configuration sends HTTP and syslog to the API's own ports, found by the service name.
    const haproxy = readFileSync(join(ROOT, 'docker/haproxy.cfg'), 'utf8');
    expect(haproxy).toMatch(new RegExp(`^\\s*server-template \\S+ 1-\\d+ api:${api.environment!.PORT}\\b`, 'm'));
    expect(haproxy).toMatch(new RegExp(`^\\s*server-template \\S+ 1-\\d+ api:${api.environment!.SYSLOG_PORT}\\b`, 'm'));
    expect(haproxy).toMatch(/^\s*bind :8080$/m);
    expect(haproxy).toMatch(/^\s*bind :1514$/m);
    // Replicas are taken out of rotation on liveness, not readiness (a Redis outage must not empty the pool).
    expect(haproxy).toMatch(/http-check send meth GET uri \/health\/live/);
  });

  it('the API trusts X-Forwarded-For from the proxy\'s network only, which nothing else joins', () => {
    const front = stack.networks.front.ipam!.config![0].subnet;
    expect(stack.services.api.environment!.TRUST_PROXY).toBe(front);
    const onFront = Object.entries(stack.services).filter(([, s]) => s.networks && 'front' in s.networks).map(([name]) => name).sort();
    expect(onFront).toEqual(['api', 'proxy']);
    expect(parseConfig(stack.services.api.environment!).http.trustProxy).toEqual([front]);
  });

  it('R-NOT Redis keeps the queued jobs on disk: append-only file on a named volume, never evicting a key', () => {
    const { redis } = stack.services;
    const command = redis.command!.join(' ');
    expect(command).toMatch(/--appendonly yes\b/);
    expect(command).toMatch(/--maxmemory-policy noeviction\b/);
    const data = redis.volumes!.find((v) => v.split(':')[1] === '/data');
    expect(data).toBeDefined();
    expect(Object.keys(stack.volumes)).toContain(data!.split(':')[0]);
    // The application connects with the password the server requires.
    expect(command).toContain(`--requirepass ${generated.REDIS_PASSWORD}`);
    expect(stack.services.worker.environment!.REDIS_URL).toBe(`redis://:${generated.REDIS_PASSWORD}@redis:6379`);
  });

  it('migrations run once, to completion, before any API or worker starts', () => {
    const { migrate, api, worker, postgres } = stack.services;
    expect(migrate.command).toEqual(['node', 'dist/scripts/migrate.js']);
    expect(existsSync(join(ROOT, 'scripts/migrate.ts'))).toBe(true);
    expect(migrate.restart).toBe('no');
    expect(migrate.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(postgres.healthcheck?.test).toEqual(expect.arrayContaining(['pg_isready']));
    for (const service of [api, worker]) {
      expect(service.depends_on?.migrate).toEqual({ condition: 'service_completed_successfully' });
    }
    // The three roles run one image, on the processes the build produces.
    expect(new Set([migrate.image, api.image, worker.image]).size).toBe(1);
    expect(api.command).toEqual(['node', 'dist/apps/api/src/main.js']);
    expect(worker.command).toEqual(['node', 'dist/apps/worker/src/main.js']);
    expect(existsSync(join(ROOT, 'apps/api/src/main.ts')) && existsSync(join(ROOT, 'apps/worker/src/main.ts'))).toBe(true);
  });

  it('the application accepts the API\'s and the worker\'s environment once .env.example\'s secrets are filled in, and refuses it before', () => {
    for (const name of ['api', 'worker']) {
      const env = stack.services[name].environment!;
      const config = parseConfig(env);
      expect(config.database.url).toBe(`postgres://prestagate:${generated.POSTGRES_PASSWORD}@postgres:5432/prestagate`);
      expect(stack.services.postgres.environment!.POSTGRES_PASSWORD).toBe(generated.POSTGRES_PASSWORD);
      expect(config.http.publicUrl).toBe('http://localhost:8080');
      // No stale or misspelt name: everything passed is a variable the application reads.
      expect(Object.keys(env).filter((key) => !CONFIG_VARIABLES.includes(key))).toEqual([]);
      // What docs/operations.md calls required in production is given a value.
      const required = [...documentedVariables().values()].filter((v) => /^yes\b/.test(v.requiredCell)).map((v) => v.name);
      expect(required.filter((key) => !env[key])).toEqual([]);
    }
    const unfilled = resolvedStack(example);
    expect(() => parseConfig(unfilled.services.api.environment!)).toThrow(ConfigError);
    expect(() => parseConfig(unfilled.services.api.environment!)).toThrow(/APP_SECRET/);
  });

  it('.env.example names every variable the stack file reads, and commits no secret', () => {
    const compose = readFileSync(join(ROOT, 'docker/compose.yml'), 'utf8');
    const read = new Set([...compose.matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]));
    const listed = new Set([...example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
    expect([...read].filter((name) => !listed.has(name))).toEqual([]);
    for (const name of SECRETS) expect(example).toMatch(new RegExp(`^${name}=$`, 'm'));
  });
});

describe('Container image (docker/Dockerfile)', () => {
  const dockerfile = readFileSync(join(ROOT, 'docker/Dockerfile'), 'utf8').replace(/\\\n\s*/g, ' ');
  const instructions = dockerfile.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const args = Object.fromEntries(instructions.filter((l) => /^ARG \w+=/.test(l)).map((l) => l.slice(4).split('=')));
  const stages: string[][] = [];
  for (const line of instructions) {
    if (line.startsWith('FROM ')) stages.push([line]);
    else stages.at(-1)?.push(line);
  }
  const runtime = stages.at(-1)!;
  const build = stages.find((s) => / AS build$/i.test(s[0]))!;

  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const [, major, minor] = /^>=(\d+)\.(\d+)$/.exec(pkg.engines.node)!;

  it('builds on the Node.js line package.json\'s engines names, with the lockfile as is, and ships production dependencies only', () => {
    for (const stage of stages) expect(stage[0].replace('${NODE_IMAGE}', args.NODE_IMAGE)).toMatch(new RegExp(`^FROM node:${major}-bookworm-slim AS \\w+$`));
    expect(build.join('\n')).toMatch(/RUN npm ci --engine-strict --strict-allow-scripts\b/);
    expect(build.join('\n')).toMatch(/npm prune --omit=dev\b/);
    expect(runtime).toEqual(expect.arrayContaining(['COPY --from=build /app/node_modules ./node_modules', 'COPY --from=build /app/dist ./dist']));
  });

  it('CI, the type definitions and npm agree with engines: .ci/run pins a release of that line, and CI and the image refuse a dependency whose engines exclude it', () => {
    const pinned = /^NODE_VERSION=(\d+)\.(\d+)\.\d+$/m.exec(readFileSync(join(ROOT, '.ci/run'), 'utf8'))!;
    expect(pinned[1]).toBe(major);
    expect(Number(pinned[2])).toBeGreaterThanOrEqual(Number(minor));
    expect(pkg.devDependencies['@types/node']).toMatch(new RegExp(`^\\^${major}\\.`));
    expect(readFileSync(join(ROOT, '.ci/run'), 'utf8')).toMatch(/^npm ci --engine-strict\b/m);
    expect(build.join('\n')).toMatch(/RUN npm ci --engine-strict\b/);
  });

  it('the runtime stage runs as a user other than root, with a health check, and starts the API on all interfaces', () => {
    const user = runtime.filter((l) => l.startsWith('USER ')).at(-1)?.slice(5).trim();
    expect(user).toBeDefined();
    expect(['root', '0', '0:0']).not.toContain(user);
    const healthcheck = runtime.find((l) => l.startsWith('HEALTHCHECK '));
    expect(healthcheck).toMatch(/ CMD \["node", "dist\/scripts\/healthcheck\.js"\]$/);
    expect(existsSync(join(ROOT, 'scripts/healthcheck.ts'))).toBe(true);
    expect(runtime.at(-1)).toBe('CMD ["node", "dist/apps/api/src/main.js"]');
    expect(runtime.join('\n')).toMatch(/HOST=0\.0\.0\.0/);
    // Never the zero-setup launcher (dist/scripts/start.js), which would start an embedded PostgreSQL.
    expect(instructions.join('\n')).not.toMatch(/scripts\/start\.js|npm start/);
  });

  it('its health check passes while the API serves, even with Redis down (liveness), and fails once the API stops', async () => {
    const script = join(work, 'healthcheck.js');
    writeFileSync(script, transformFileSync(join(ROOT, 'scripts/healthcheck.ts'), {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' },
    }).code);
    // Asynchronously: the API answering it runs in this very process.
    const check = (port: number) => new Promise<{ status: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [script], { env: { PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000 });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (status) => resolve({ status, stderr }));
    });

    const ctx = await TestContext.start({ env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    let port: number;
    try {
      await ctx.api.listen({ port: 0, host: '127.0.0.1' });
      port = (ctx.api.getHttpServer().address() as AddressInfo).port;
      await ctx.http.get('/health/ready').expect(503);
      expect(await check(port)).toEqual({ status: 0, stderr: '' });
    } finally {
      await ctx.close();
    }
    const down = await check(port);
    expect(down.status).toBe(1);
    expect(down.stderr).toMatch(/health check failed/);
  });
});
