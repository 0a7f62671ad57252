import { withAdmin } from '../libs/testing/src/databases';

export default async function globalTeardown(): Promise<void> {
  const template = process.env.PRESTAGATE_TEST_TEMPLATE;
  if (template) await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`));
}
