/**
 * Runs one of the product's TypeScript entry points (apps/api/src/main.ts, apps/worker/src/main.ts)
 * as a real OS process, compiled file by file with swc exactly as jest compiles it, so the
 * multi-process tests need no build and always run the sources under test.
 *
 *   node test/multiprocess/support/run-ts.js apps/worker/src/main.ts
 */
'use strict';
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const { transformSync } = require('@swc/core');

const root = path.resolve(__dirname, '..', '..', '..');
const options = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2023',
  },
  module: { type: 'commonjs' },
};

// The path aliases of tsconfig.base.json (the same as jest's moduleNameMapper).
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === '@app/migrations') request = path.join(root, 'migrations', 'index.ts');
  else if (request.startsWith('@app/')) request = path.join(root, 'libs', request.slice('@app/'.length), 'src', 'index.ts');
  return resolveFilename.call(this, request, ...rest);
};

// `.ts` first, as tsc resolves: `./errors` is errors.ts, not the errors.json beside it (R-L10N catalogues).
const others = { ...Module._extensions };
for (const ext of Object.keys(others)) delete Module._extensions[ext];
Module._extensions['.ts'] = function (module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  module._compile(transformSync(source, { ...options, filename }).code, filename);
};
Object.assign(Module._extensions, others);

require(path.resolve(root, process.argv[2]));
