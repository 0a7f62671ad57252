import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { verify } from '@node-rs/argon2';
import { Client } from 'pg';
import { DEMO_PASSWORDS_FILE, passwordsBlock, SeededPerson } from './seed';

/** `npm run demo:passwords`: the demo's one-time passwords that nobody has changed yet (embedded database only). */
const dataDir = join(resolve(__dirname, '..', '..'), '.data');

async function main(): Promise<number> {
  const file = join(dataDir, DEMO_PASSWORDS_FILE);
  const credentialsFile = join(dataDir, 'embedded-postgres.json');
  if (!existsSync(file) || !existsSync(credentialsFile)) {
    console.log('No demo here: `npm start` without DATABASE_URL creates one.');
    return 1;
  }
  const people = JSON.parse(readFileSync(file, 'utf8')) as SeededPerson[];
  const { password } = JSON.parse(readFileSync(credentialsFile, 'utf8')) as { password: string };
  const sql = new Client({ host: '127.0.0.1', port: Number(process.env.EMBEDDED_PG_PORT ?? 54329), user: 'postgres', password, database: 'prestagate' });
  try {
    await sql.connect();
  } catch {
    console.log('The embedded database is not running: start Prestagate with `npm start`, then run this again.');
    return 1;
  }
  try {
    const unchanged: SeededPerson[] = [];
    for (const person of people) {
      const { rows } = await sql.query<{ hash: string | null }>('SELECT password_hash AS hash FROM identities WHERE lower(email) = lower($1)', [person.email]);
      if (rows[0]?.hash && (await verify(rows[0].hash, person.password).catch(() => false))) unchanged.push(person);
    }
    if (!unchanged.length) console.log('Every demo password has been changed.');
    else console.log(['Demo people whose one-time password is unchanged:', ...passwordsBlock(unchanged)].join('\n'));
    return 0;
  } finally {
    await sql.end();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
