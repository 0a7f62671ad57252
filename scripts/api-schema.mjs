// The console's API types (apps/web/src/api/schema.d.ts, not checked in) from the checked-in OpenAPI document.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const api = join(root, 'apps', 'web', 'src', 'api');
const cli = join(root, 'node_modules', 'openapi-typescript', 'bin', 'cli.js');
execFileSync(process.execPath, [cli, join(api, 'openapi.json'), '--output', join(api, 'schema.d.ts')], { stdio: 'pipe' });
// The document's descriptions are its authors' prose, not this repository's code: no lint in the generated file.
writeFileSync(join(api, 'schema.d.ts'), `/* eslint-disable */\n${readFileSync(join(api, 'schema.d.ts'), 'utf8')}`);
