import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@app/testing';

const ROOT = resolve(__dirname, '..');

/** `npm start` from a checkout closed to others (mode 0700, as root's home is): PostgreSQL must still start. */
describe('Newcomer (issue 16): npm start from a closed checkout', () => {
  const closed = mkdtempSync(join(tmpdir(), 'prestagate-closed-'));
  const dataDir = join(closed, 'checkout', '.data');
  let databaseDir: string | undefined;

  beforeAll(() => mkdirSync(dataDir, { recursive: true, mode: 0o755 }));
  afterAll(() => {
    if (databaseDir && !databaseDir.startsWith(closed)) rmSync(dirname(databaseDir), { recursive: true, force: true });
    rmSync(closed, { recursive: true, force: true });
  });

  it('starts the embedded PostgreSQL, migrates and seeds the demo once, whose one-time passwords verify', async () => {
    expect(statSync(closed).mode & 0o777).toBe(0o700);
    const args = ['test/multiprocess/support/run-ts.js', 'test/support/embedded-start-driver.ts', dataDir, String(await freePort())];
    const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: ROOT, timeout: 240_000 });
    const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as { databaseDir: string; roles: string[]; verified: string[]; seededAgain: unknown };
    databaseDir = report.databaseDir;
    // As root PostgreSQL runs as the postgres OS user, who cannot enter the closed folder: the data lives elsewhere.
    if (process.getuid?.() === 0) expect(databaseDir.startsWith(closed)).toBe(false);
    else expect(databaseDir).toBe(join(dataDir, 'pg'));
    const roles = ['platform_admin', 'dsi', 'rssi', 'referent', 'legal_rep', 'security_contact', 'security_deputy', 'staff'];
    expect(report).toMatchObject({ roles, verified: roles, seededAgain: null });
  });
});
