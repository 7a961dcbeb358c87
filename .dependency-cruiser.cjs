/**
 * The folder flow of docs/how-it-is-built.md, checked by `npm run lint:deps`
 * (part of `npm test`). Each group of `src/` may import only the groups
 * listed for it below (and itself); type-only imports count too, so a layer
 * cannot lean on a higher one even for a type. No file and no folder may be
 * part of a cycle.
 *
 * To add an edge, add it here and to the diagram of docs/how-it-is-built.md:
 * the two say the same thing. One file's edge that its group may not take
 * is an `except` entry of that group, with its reason.
 */

/** A folder of `src/`, or files at the top of `src/`. */
const folder = (name) => `^src/${name}/`;
const files = (...names) => `^src/(${names.join('|')})[.]ts$`;

/** What every group above the bottom may use: the environment, the settings, and the helpers of the bottom. */
const base = ['errors', 'validate', 'files', 'html', 'loop', 'settings', 'config'];

/** The groups, from the bottom up. `may` lists what each may import besides itself. */
const groups = {
  // The bottom: nothing of the site, only the platform and the packages.
  errors: { path: files('errors', 'line-sink') },
  validate: { path: folder('validate') },
  files: { path: folder('files') },
  html: { path: folder('html') },
  loop: { path: folder('loop') },
  // The response headers of the site (policies, caching): values both the server and the export use.
  headers: { path: folder('headers') },
  // The settings (with the old names of renamed ones), and a whole blog repository's own config read as their defaults (src/site-config/).
  settings: { path: `${files('settings', 'settings-renames')}|${folder('site-config')}`, may: ['files', 'validate'] },
  config: { path: files('config'), may: ['settings', 'validate'] },
  logger: { path: files('logger'), may: ['config', 'errors'] },
  // The posts as they are now.
  content: { path: folder('content'), may: [...base] },
  // Images know posts; the renderer sizes a page's images.
  images: { path: folder('images'), may: [...base, 'content'] },
  render: { path: folder('render'), may: [...base, 'content', 'images'] },
  search: { path: folder('search'), may: [...base, 'content', 'render'] },
  // Serving, for routes: surrogate keys and purges, the page cache, the edge of HTTP.
  cdn: { path: folder('cdn'), may: [...base, 'content'] },
  cache: { path: folder('cache'), may: [...base, 'content', 'cdn'] },
  http: { path: folder('http'), may: [...base, 'headers', 'content', 'images', 'render', 'cdn', 'cache'] },
  routes: { path: folder('routes'), may: [...base, 'headers', 'content', 'images', 'render', 'search', 'cdn', 'cache', 'http'] },
  // The whole site, without listening: the only importer of routes.
  app: { path: files('app'), may: [...base, 'content', 'images', 'render', 'search', 'cdn', 'cache', 'http', 'routes'] },
  // How a command starts and ends: whether it is the entry, its errors and exit codes.
  exit: { path: files('command-exit', 'main-module'), may: [...base] },
  // The command-line tools: the same store, renderer and app as the server.
  cli: {
    path: folder('cli'),
    may: [...base, 'headers', 'exit', 'content', 'images', 'render', 'search', 'app'],
  },
  // The process: start, fork workers, listen, shut down; how V8 runs it.
  process: {
    path: files('server', 'cluster', 'lifecycle', 'heap-policy', 'tick-shapes'),
    may: [...base, 'logger', 'exit', 'content', 'images', 'render', 'search', 'cdn', 'cache', 'http', 'app'],
  },
  // The `lede` command of the package: each of its commands is a CLI tool's or the process's.
  bin: { path: files('lede', 'commands'), may: [...base, 'exit', 'cli', 'process'] },
};

/** One group's rule: it imports only itself and what it `may`, its named exceptions aside. */
function flowRules(name, group) {
  const allowed = [group.path, ...(group.may ?? []).map((other) => groups[other].path)];
  const rule = {
    name: `flow-${name}`,
    severity: 'error',
    comment: `${name} may import only ${(group.may ?? []).join(', ') || 'nothing of the site'}: see the diagram of docs/how-it-is-built.md`,
    from: { path: group.path },
    to: { path: '^src/', pathNot: allowed },
  };
  const except = group.except ?? [];
  if (!except.length) return [rule];
  return [
    { ...rule, from: { path: group.path, pathNot: except.map((e) => e.from) } },
    ...except.map((e) => ({ ...rule, from: { path: e.from }, to: { path: '^src/', pathNot: [...allowed, e.to] } })),
  ];
}

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-file-cycles',
      severity: 'error',
      comment: 'A file that imports itself through others: move the shared part into a module both import.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-folder-cycles',
      severity: 'error',
      comment: 'Two folders that import each other: the flow of docs/how-it-is-built.md goes one way.',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    ...Object.entries(groups).flatMap(([name, group]) => flowRules(name, group)),
    {
      name: 'flow-unplaced',
      severity: 'error',
      comment: 'A module of src/ that no group of this file holds: give it its place in the flow (here and in docs/how-it-is-built.md).',
      from: { path: '^src/', pathNot: Object.values(groups).map((group) => group.path) },
      to: {},
    },
  ],
  options: {
    includeOnly: '^src/',
    doNotFollow: { path: 'node_modules' },
    // Type-only imports are dependencies too (they are erased from the build, not from the design).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.build.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js'],
    },
  },
};
