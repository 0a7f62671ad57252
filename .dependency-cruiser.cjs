// The library boundaries (docs/architecture.md, "Enforced boundaries"); run by `npm run lint`.

// The libraries from the bottom up: a library imports only libraries of lower layers, so their graph has no cycle.
const LAYERS = [
  ['core'],
  ['notifications'],
  ['identity'],
  ['contractors'],
  ['charters', 'derogations'],
  ['accounts'],
  ['interventions'],
  ['journal', 'reviews', 'provisioning'],
  ['digests', 'evidence', 'testing'],
];
const layerRules = LAYERS.map((layer, index) => ({
  name: 'lib-layers',
  severity: 'error',
  comment: `${layer.join(', ')} import only libraries below them: ${LAYERS.slice(0, index).flat().join(', ') || 'none'}.`,
  from: { path: `^libs/(${layer.join('|')})/` },
  to: { path: `^libs/(${LAYERS.slice(index).flat().join('|')})/`, pathNot: '^libs/$1/' },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...layerRules,
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
