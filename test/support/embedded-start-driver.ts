import { verify } from '@node-rs/argon2';
import { Client } from 'pg';
import { runMigrations } from '@app/core';
import { MIGRATIONS } from '@app/migrations';
import { seedDemoPeople } from '../../scripts/demo-people';
import { startEmbeddedPostgres } from '../../scripts/embedded-postgres';
import { seedDemo } from '../../scripts/seed';

/** What `npm start` does to its database, run as its own process (embedded-postgres is native ESM): prints a JSON report. */
async function main(dataDir: string, port: number): Promise<void> {
  const db = await startEmbeddedPostgres(dataDir, port);
  try {
    await runMigrations(db.url, MIGRATIONS);
    await db.ensureAppLogin();
    const env = { DATABASE_URL: db.appUrl, APP_SECRET: 'embedded-start-driver-secret-0123456789', QUEUE_PREFIX: `demo${port}` };
    const people = [...((await seedDemo(db.url)) ?? []), ...(await seedDemoPeople(env))];
    const sql = new Client({ connectionString: db.url });
    await sql.connect();
    const verified: string[] = [];
    for (const person of people) {
      const { rows } = await sql.query<{ hash: string }>('SELECT password_hash AS hash FROM identities WHERE lower(email) = lower($1)', [person.email]);
      if (await verify(rows[0].hash, person.password)) verified.push(person.role);
    }
    await sql.end();
    const again = [...((await seedDemo(db.url)) ?? []), ...(await seedDemoPeople(env))];
    const seededAgain = again.length ? again.map((p) => p.role) : null;
    console.log(JSON.stringify({ databaseDir: db.databaseDir, roles: people.map((p) => p.role), verified, seededAgain }));
  } finally {
    await db.stop();
  }
}

main(process.argv[3], Number(process.argv[4])).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
