// Layers of the repository, checked in `npm test` (see docs/decisions/006-server-layers.md).
//
// Packages: pdq → match → vpdq → core → server / web; nothing imports server or web but tests, benchmarks and
// examples. packages/testing (test support: vectors, videos, test databases, fixtures) sits beside them on core. Inside packages/server/src:
//   leaves (crypto, media, net, platform, observability, backup, notifications: no database) → store (SQL, jobs table, audit chain) →
//   services (one use case, one transaction) → edges (http, jobs, cli, config)
// Each layer imports only from the layers before it. Workspace packages are followed as installed
// (node_modules/@takedown/*), so an import by name and a relative path into another package look different.

const SERVER = '^packages/server/src/';
const LEAVES = `${SERVER}(crypto|media|net|platform|observability|backup|notifications)/`;
const STORE = `${SERVER}store/`;
const SERVICES = `${SERVER}services/`;
const EDGES = `${SERVER}(http|jobs|cli|config)/`;
const ENTRY = `${SERVER}index\\.ts$`;

/** Forbids `from` importing any of `to` (a layer importing a later one). */
function backward(name, comment, from, to, extra = {}) {
  return { name, comment, severity: 'error', from: { path: from }, to: { path: to, ...extra } };
}

/** The installed name and the folder of each workspace package that `later` lists, as paths to forbid. */
function packages(...later) {
  return `^(node_modules/@takedown|packages)/(${later.join('|')})/`;
}

export default {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules that import one another in a ring have no order to read, test or change them in.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve (a moved file, a path outside a package\'s exports).',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'declared-dependencies',
      severity: 'error',
      comment: 'A package imports only what its package.json declares (workspace packages included).',
      from: { pathNot: '^(bench|test|examples)/' },
      to: { path: '^node_modules/@takedown/', dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'public-entries',
      severity: 'error',
      comment:
        'Another package is used through its name (`@takedown/match`, its exports), never through a path into its ' +
        'src/ or its test helpers; a package\'s own tests may use their own src.',
      from: { path: '^packages/([^/]+)/' },
      to: { path: '^packages/', pathNot: '^packages/$1/' },
    },
    {
      name: 'public-entries-from-root',
      severity: 'error',
      comment: 'The root\'s tests, benchmarks and examples use the packages by name, never their src/ or test/.',
      from: { path: '^(bench|test|examples)/' },
      to: { path: '^packages/' },
    },
    backward('pdq-first', 'PDQ depends on no other package of ours.', '^packages/pdq/', packages('match', 'vpdq', 'core', 'server', 'web')),
    backward('match-after-pdq', 'The match index sits on PDQ only.', '^packages/match/', packages('vpdq', 'core', 'server', 'web')),
    backward('vpdq-after-match', 'vPDQ sits on PDQ and the match index.', '^packages/vpdq/', packages('core', 'server', 'web')),
    backward('core-after-vpdq', 'The domain (core) is pure: it knows no server and no web page.', '^packages/core/', packages('server', 'web')),
    backward('server-not-web', 'The server serves the built web pages; it imports none of their code.', '^packages/server/', packages('web')),
    backward('web-not-server', 'The browser code talks to the server over HTTP only (its tests may use the server as a reference).', '^packages/web/src/', packages('server')),
    backward('testing-beside-the-product', 'Test support builds on core alone (and shipped code never imports it), so any package\'s tests can use it without a ring.', '^packages/testing/', packages('pdq', 'match', 'vpdq', 'server', 'web')),
    backward('no-test-support-in-the-product', 'Shipped code never imports test support.', '^packages/(pdq|match|vpdq|core|server|web)/(src|bin)/', packages('testing')),
    backward('leaves-below-store', 'crypto, media, net, platform, backup-archive rules and the metrics and tracing instruments do no database work: they import no store, service or edge.', LEAVES, `${SERVER}(store|services|http|jobs|cli|config)/|${ENTRY}`),
    backward('store-below-services', 'The store runs SQL for its callers: it imports no service and no edge.', STORE, `${SERVER}(services|http|jobs|cli|config)/|${ENTRY}`),
    backward('services-below-edges', 'A use case knows nothing of HTTP, the worker or the CLI.', SERVICES, `${SERVER}(http|jobs|cli)/|${ENTRY}`),
    backward(
      'services-read-no-config',
      'Configuration is read at the edge and passed down; a service may only name the shape of what it is given.',
      SERVICES,
      `${SERVER}config/`,
      { dependencyTypesNot: ['type-only'] },
    ),
    backward(
      'edges-run-no-sql',
      'Routes, job registration and commands call services; the store (and SQL) is reached only through them. ' +
        'Naming a store type (OpenDatabase, a row), opening the database at start and telling its errors apart are fine.',
      EDGES,
      `${STORE}|^node_modules/kysely/`,
      { dependencyTypesNot: ['type-only'], pathNot: `${STORE}database(-errors)?\\.ts$` },
    ),
    backward('http-not-cli', 'The HTTP app is started by the CLI, not the other way round.', `${SERVER}(http|jobs|config)/`, `${SERVER}cli/`),
    backward('jobs-not-http', 'The worker and its handlers run without the HTTP app.', `${SERVER}(jobs|config)/`, `${SERVER}http/`),
  ],
  options: {
    // Workspace packages are followed as installed, so an import by name is told apart from a path into a package.
    preserveSymlinks: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|data|test-artifacts|\\.scratch)/' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'default', 'types'] },
  },
};
