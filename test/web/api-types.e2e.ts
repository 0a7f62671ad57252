import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestContext } from '@app/testing';

/** The API's contract, checked in; the console's types are generated from it (scripts/api-schema.mjs). */
const DOCUMENT = join(__dirname, '..', '..', 'apps', 'web', 'src', 'api', 'openapi.json');

describe('The console is typed from the API\'s OpenAPI document (issue 15)', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await TestContext.start();
  });
  afterAll(() => ctx?.close());

  it('apps/web/src/api/openapi.json is the document served at /docs-json (else: npm run api:types)', async () => {
    const served = `${JSON.stringify((await ctx.http.get('/docs-json').expect(200)).body, null, 2)}\n`;
    if (process.env.API_TYPES === 'write') writeFileSync(DOCUMENT, served);
    const current = readFileSync(DOCUMENT, { encoding: 'utf8', flag: 'a+' });
    const lines = [current.split('\n'), served.split('\n')];
    const first = lines[1].findIndex((line, i) => line !== lines[0][i]);
    if (current !== served) {
      throw new Error(`${DOCUMENT} differs from /docs-json from line ${first + 1} on: run \`npm run api:types\` and commit the file`);
    }
  });
});
