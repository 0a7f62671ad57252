import { createPlatformAdmin } from './seed';

/** `npm run create-platform-admin -- admin@example.org`: the first operator account of a real deployment. */
async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  const email = process.argv[2];
  if (!url || !email) throw new Error('Usage: DATABASE_URL=... npm run create-platform-admin -- <email>');
  const person = await createPlatformAdmin(url, email);
  console.log(`Platform admin ${person.email} created. One-time password (shown once): ${person.password}`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
