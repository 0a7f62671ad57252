import { ChildProcess, fork } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runMigrations } from '../libs/core/src/database/migrate';
import { parsePrivateKey } from '../libs/core/src/config/evidence-keys';
import { MIGRATIONS } from '../migrations';
import { DevMailSink, startDevMailSink } from './dev-mail-sink';
import { EmbeddedDatabase, startEmbeddedPostgres } from './embedded-postgres';
import { EmbeddedRedis, startEmbeddedRedis } from './embedded-redis';
import { seedDemoPeople } from './demo-people';
import { DEMO_PASSWORDS_FILE, passwordsBlock, SeededPerson, seedDemo } from './seed';

/**
 * `npm start`: API + worker. Without DATABASE_URL: embedded PostgreSQL, generated secrets and mail sink under .data/,
 * a demo establishment (docs/deployment.md); without REDIS_URL: the machine's Redis, else a redis-server of its own.
 */
const root = resolve(__dirname, '..', '..');
const dataDir = join(root, '.data');

async function main(): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  let embedded: EmbeddedDatabase | undefined;
  let mailSink: DevMailSink | null = null;
  let redis: EmbeddedRedis | undefined;

  if (!env.DATABASE_URL) {
    mkdirSync(dataDir, { recursive: true, mode: 0o755 });
    console.log('No DATABASE_URL: starting the embedded PostgreSQL in .data/pg');
    embedded = await startEmbeddedPostgres(dataDir, Number(env.EMBEDDED_PG_PORT ?? 54329));
    env.DATABASE_OWNER_URL = embedded.url;
    env.DATABASE_URL = embedded.appUrl;
    env.APP_SECRET ??= persistentSecret();
    env.EVIDENCE_SIGNING_KEY ??= persistentSigningKey();
    env.EVIDENCE_CHECKPOINT_DIR ??= join(dataDir, 'checkpoints');
    if (!env.SMTP_URL) {
      mailSink = await startDevMailSink(join(dataDir, 'mail'), Number(env.DEV_SMTP_PORT ?? 2525), Number(env.DEV_INBOX_PORT ?? 2580));
      if (mailSink) {
        env.SMTP_URL = mailSink.url;
        console.log(`No SMTP_URL: e-mails are kept in .data/mail and shown at ${mailSink.inboxUrl}`);
      }
    }
  }

  if (!env.REDIS_URL) {
    mkdirSync(dataDir, { recursive: true, mode: 0o755 });
    const found = await startEmbeddedRedis(dataDir, Number(env.EMBEDDED_REDIS_PORT ?? 6389));
    if (found === null) {
      console.warn('No REDIS_URL, no Redis at 127.0.0.1:6379, no redis-server installed: the API serves, but e-mails and webhooks wait '
        + 'in the outbox and scheduled jobs (reviews, deadlines, retention) do not run until a Redis is there (install redis-server, or set REDIS_URL).');
    } else if (found !== 'machine') {
      redis = found;
      env.REDIS_URL = found.url;
      console.log(`No REDIS_URL and no Redis at 127.0.0.1:6379: started redis-server in .data/redis (${found.url})`);
    }
  }

  const applied = await runMigrations(env.DATABASE_OWNER_URL ?? env.DATABASE_URL, MIGRATIONS);
  if (applied.length) console.log(`Migrations applied: ${applied.join(', ')}`);

  // The owner's address goes to neither process; the API only verifies checkpoints (public key), the worker signs them.
  const { DATABASE_OWNER_URL: _owner, ...appEnv } = env;
  const { EVIDENCE_SIGNING_KEY: signingKey, ...apiEnv } = appEnv;
  if (signingKey) apiEnv.EVIDENCE_PUBLIC_KEYS = [publicKeyOf(signingKey), appEnv.EVIDENCE_PUBLIC_KEYS].filter(Boolean).join(',');

  let seeded: SeededPerson[] | null = null;
  if (embedded) {
    await embedded.ensureAppLogin();
    const first = (await seedDemo(embedded.url)) ?? [];
    seeded = [...first, ...(await seedDemoPeople(apiEnv))];
    if (seeded.length) rememberPasswords(seeded);
    else seeded = null;
  }
  const children: ChildProcess[] = [
    fork(join(root, 'dist/apps/api/src/main.js'), { env: apiEnv }),
    fork(join(root, 'dist/apps/worker/src/main.js'), { env: appEnv }),
  ];
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.all(children.filter((c) => c.exitCode === null).map((c) => new Promise((r) => c.once('exit', r))));
    await mailSink?.stop();
    await redis?.stop();
    await embedded?.stop();
    process.exit(code);
  };
  for (const child of children) child.once('exit', (code) => void stop(code ?? 1));
  // The welcome comes once the API answers, below the start-up logs rather than lost among them.
  const consoleUrl = `http://localhost:${env.PORT ?? 3000}/`;
  if (await answers(`http://127.0.0.1:${env.PORT ?? 3000}/health/live`, 120_000)) {
    console.log(welcome(consoleUrl, mailSink?.inboxUrl, seeded));
  }
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));
}

/** Polls until the URL answers 200, for at most `withinMs`. */
async function answers(url: string, withinMs: number): Promise<boolean> {
  for (const end = Date.now() + withinMs; Date.now() < end; await new Promise((r) => setTimeout(r, 500))) {
    if (await fetch(url).then((r) => r.ok, () => false)) return true;
  }
  return false;
}

function welcome(consoleUrl: string, inboxUrl: string | undefined, seeded: SeededPerson[] | null): string {
  const lines = ['', '='.repeat(100), `Prestagate is running. Console: ${consoleUrl}`];
  if (inboxUrl) lines.push(`E-mails sent by the demo (invitations, alerts): ${inboxUrl}`);
  if (seeded) {
    lines.push('', 'Demo people and their first passwords (`npm run demo:passwords` shows them again until changed):', ...passwordsBlock(seeded),
      'The first sign-in enrols TOTP: scan the QR code (or type the key under it) in any authenticator app, then keep the',
      'recovery codes. The intervenant\'s account turns active once they have enrolled. Change a password under "Mon compte".');
  }
  else lines.push('Demo passwords not changed yet: npm run demo:passwords');
  return [...lines, '='.repeat(100), ''].join('\n');
}

/** Adds this start's demo people to those of earlier starts (.data/demo-passwords.json, read by `npm run demo:passwords`). */
function rememberPasswords(people: SeededPerson[]): void {
  const file = join(dataDir, DEMO_PASSWORDS_FILE);
  const earlier = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SeededPerson[]) : [];
  writeFileSync(file, JSON.stringify([...earlier, ...people]), { mode: 0o600 });
}

function persistentSecret(): string {
  const file = join(dataDir, 'app-secret');
  if (!existsSync(file)) writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

/** R-INT: the checkpoints' Ed25519 key, generated once; keep a copy apart from the database (docs/operations.md). */
function persistentSigningKey(): string {
  const file = join(dataDir, 'evidence-signing-key.pem');
  if (!existsSync(file)) {
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8');
}

function publicKeyOf(signingKey: string): string {
  return createPublicKey(parsePrivateKey(signingKey)).export({ format: 'der', type: 'spki' }).toString('base64');
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
