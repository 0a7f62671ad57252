/** The environment every API and worker of the tests starts with, before a file's own `env`. */
export function testEnv(databaseUrl: string, spoolDir: string, queuePrefix: string): Record<string, string | undefined> {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    JOURNAL_SPOOL_DIR: spoolDir,
    DATABASE_POOL_SIZE: '5',
    APP_SECRET: 'test-secret-that-is-long-enough-0123456789',
    QUEUE_PREFIX: queuePrefix,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    AUTH_RATE_LIMIT_PER_MINUTE: '10000',
    // R-ART28: every seeded person's password is hashed; production's cost is asserted in test/auth.e2e.ts.
    PASSWORD_HASH_COST: 'test',
    OUTBOX_POLL_MS: '50',
    JOB_BACKOFF_MS: '200',
    JOB_ATTEMPTS: '8',
    PUBLIC_URL: 'https://prestagate.test',
    // Each test sets up exactly the situation it decides on: no cached standing between steps.
    DECISION_CACHE_MS: '0',
    DECISION_FLUSH_MS: '20',
    // The tests' webhook receivers listen on this machine's loopback, which production refuses by default.
    WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8,::1',
    // R-SSO the tests' OpenID provider listens in clear on the loopback (refused with NODE_ENV=production).
    SSO_ALLOW_LOOPBACK_HTTP: 'true',
  };
}

/**
 * Where the test clock starts: now, or PRESTAGATE_TEST_NOW (an ISO instant) to replay the suite at an awkward hour
 * (near midnight in Paris, a weekend, a month's end). A test whose outcome depends on the hour sets the clock itself.
 */
export function testStart(): Date {
  const at = process.env.PRESTAGATE_TEST_NOW;
  if (!at) return new Date();
  const start = new Date(at);
  if (Number.isNaN(start.getTime())) throw new Error(`PRESTAGATE_TEST_NOW is not an ISO instant: ${at}`);
  return start;
}
