import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestContext } from '@app/testing';

const ROOT = join(__dirname, '..', '..');
/** The console's API types, checked in; `npm run api:types` writes them from the current document. */
const SCHEMA = join(ROOT, 'apps', 'web', 'src', 'api', 'schema.d.ts');
const CLI = join(ROOT, 'node_modules', 'openapi-typescript', 'bin', 'cli.js');
/** The document's descriptions are its authors' prose, not this repository's comments. */
const HEADER = '/* eslint-disable */\n';

/** What openapi-typescript makes of the document served at /docs-json. */
function generate(document: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'prestagate-openapi-'));
  try {
    writeFileSync(join(dir, 'openapi.json'), JSON.stringify(document));
    execFileSync(process.execPath, [CLI, join(dir, 'openapi.json'), '--output', join(dir, 'schema.d.ts')], { cwd: dir, stdio: 'pipe' });
    return HEADER + readFileSync(join(dir, 'schema.d.ts'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('The console is typed from the API\'s OpenAPI document (issue 15)', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await TestContext.start();
  });
  afterAll(() => ctx?.close());

  it('apps/web/src/api/schema.d.ts is what openapi-typescript generates from /docs-json (else: npm run api:types)', async () => {
    const generated = generate((await ctx.http.get('/docs-json').expect(200)).body);
    if (process.env.API_TYPES === 'write') writeFileSync(SCHEMA, generated);
    const current = readFileSync(SCHEMA, { encoding: 'utf8', flag: 'a+' });
    const lines = [current.split('\n'), generated.split('\n')];
    const first = lines[1].findIndex((line, i) => line !== lines[0][i]);
    if (current !== generated) {
      throw new Error(`${SCHEMA} differs from the document from line ${first + 1} on: run \`npm run api:types\` and commit the file`);
    }
  });
});
