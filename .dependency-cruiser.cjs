// The library boundaries (docs/architecture.md, "Enforced boundaries"); run by `npm run lint`.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules depend on each other in one direction (type-only imports included).',
      from: { path: '^(apps|libs|migrations)/' },
      to: { circular: true },
    },
    {
      name: 'lib-imports-no-app',
      severity: 'error',
      comment: 'A library never imports an application (apps/*); the apps compose the libraries.',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'lib-only-through-its-index',
      severity: 'error',
      comment: 'Another library or an app reaches libs/<x> only through @app/<x> (libs/<x>/src/index.ts).',
      from: { path: '^(apps/[^/]+|libs/[^/]+)/' },
      to: { path: '^libs/[^/]+/src/', pathNot: ['^$1/', '^libs/[^/]+/src/index\\.ts$'] },
    },
    {
      name: 'lib-through-alias',
      severity: 'error',
      comment: 'Another library or an app names a library @app/<x>, not by a relative path.',
      from: { path: '^(apps/[^/]+|libs/[^/]+)/' },
      to: { path: '^libs/[^/]+/src/index\\.ts$', pathNot: '^$1/', dependencyTypesNot: ['aliased-tsconfig-paths'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'Every import resolves (a typo in a path, or a package missing from package.json).',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
