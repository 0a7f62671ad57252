// NestJS 12 ships ESM only; @swc/jest compiles everything (node_modules too) to CommonJS.
const swc = ['@swc/jest', {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2023',
  },
  module: { type: 'commonjs' },
}];
const moduleNameMapper = {
  '^@app/migrations$': '<rootDir>/migrations/index.ts',
  '^@app/(.*)$': '<rootDir>/libs/$1/src/index.ts',
};
const common = {
  transform: { '^.+\\.(t|m?j)s$': swc },
  transformIgnorePatterns: [],
  // `ts` first, as tsc resolves: `./errors` is errors.ts, not the errors.json beside it (R-L10N catalogues).
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  moduleNameMapper,
  testEnvironment: 'node',
  setupFiles: ['reflect-metadata'],
};
module.exports = {
  maxWorkers: 2,
  // A deadline for work that really runs (an API, a worker, a seeded World), not a wait: the slowest beforeAll
  // (two Worlds, a dozen sign-ins) passed 60 s on a loaded 2-core machine.
  testTimeout: 120_000,
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e.ts'],
      setupFiles: [...common.setupFiles, '<rootDir>/test/support/apps.ts'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
  ],
};
