// Keyway's dependency rules: which folder may import which. `npm test` checks them
// (tests/unit/dependency-rules.test.ts) and fails naming every import that breaks one.
// Why the folders are cut this way: see ARCHITECTURE.md, Folder map.
//
// .astro files are not parsed: dependency-cruiser has no Astro extractor, so the imports in a
// component's or page's frontmatter are not checked. An import OF an .astro file from a .ts
// file is seen (the file is resolved, just not read), which is what sandbox-no-astro needs.
// A cheap way to cover frontmatter would be a pre-pass that copies each .astro file's
// frontmatter (between the two `---` lines) to a .ts file beside it and cruises those.

/** Astro itself, its integrations, its virtual modules (astro:content…) and its components. */
const ASTRO = ['^astro($|[/:])', '(^|/)node_modules/astro/', '(^|/)node_modules/@astrojs/', '\\.astro$'];

/** Code that runs in the browser: browser scripts, plus what they share with the server. */
const BROWSER = '^src/(client|isomorphic|spec)/';

/** Node-only code: domain code, the HTTP server, the sandbox API, build-time tools. */
const NODE_ONLY = '^(src/(lib|server|sandbox|mcp|build|cli)/|src/middleware\\.ts$|scripts/)';

/** A type-only import (`import type`) is erased when compiled: it ships nothing. */
const RUNTIME = { dependencyTypesNot: ['type-only'] };

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'sandbox-no-astro',
      comment:
        'The /v1 sandbox is plain Node: it must run, and be tested, without Astro; so is the MCP ' +
        'server (/mcp), which calls it in process. A module either ' +
        'reaches through any chain of imports must not load Astro either (e.g. astro/zod: ' +
        'import zod instead). Reachability does not tell type-only imports apart, so an ' +
        '`import type` from a module that loads Astro counts too: take the type from its source.',
      severity: 'error',
      from: { path: '^src/(sandbox|mcp)/' },
      to: { path: ASTRO, reachable: true },
    },
    {
      name: 'lib-not-upward',
      comment:
        'src/lib is the domain code the pages, the server and the sandbox are built on. ' +
        'If it imported them back, nothing could be changed or tested on its own.',
      severity: 'error',
      from: { path: '^src/lib/' },
      to: {
        path: '^(src/(pages|components|layouts|sandbox|mcp|server|client|build|cli)/|src/middleware\\.ts$|scripts/)',
      },
    },
    {
      name: 'browser-no-node',
      comment:
        'src/client, src/isomorphic and src/spec are bundled for the browser, where Node core ' +
        'modules do not exist. Type-only imports are erased, so they may be anything.',
      severity: 'error',
      from: { path: BROWSER },
      to: { dependencyTypes: ['core'], ...RUNTIME },
    },
    {
      name: 'browser-no-server-code',
      comment:
        'Code bundled for the browser must not pull in server-only code: it would not run there, ' +
        'and could ship secrets. Move what both sides need to src/isomorphic.',
      severity: 'error',
      from: { path: BROWSER },
      to: { path: NODE_ONLY, ...RUNTIME },
    },
    {
      name: 'isomorphic-no-astro',
      comment:
        'src/isomorphic and src/spec run in the browser, in the server and in the sandbox, which ' +
        'has no Astro (see sandbox-no-astro).',
      severity: 'error',
      from: { path: '^src/(isomorphic|spec)/' },
      to: { path: ASTRO },
    },
    {
      name: 'spec-is-leaf',
      comment:
        'The API declaration is what everything else is generated from and checked against: ' +
        'it imports nothing else from src (only zod), least of all the code that implements it.',
      severity: 'error',
      from: { path: '^src/spec/' },
      to: { path: '^src/', pathNot: '^src/spec/' },
    },
    {
      name: 'no-folder-cycles',
      comment:
        'Folders that import each other are one module in two places: neither can be read, ' +
        'moved or tested alone. Type-only imports count too, since they tie the folders as much. ' +
        'Here a folder includes its subfolders, so src/lib/config.ts importing src/lib/db while ' +
        'src/lib/db imports it is no cycle to dependency-cruiser: tests/support/dependency-rules.ts ' +
        "adds those, under this rule's name.",
      severity: 'error',
      scope: 'folder',
      from: { path: '^(src|scripts)/' },
      to: { circular: true },
    },
    {
      name: 'no-circular',
      comment:
        'Modules that load each other at run time depend on evaluation order (a value can be ' +
        'undefined when first read). Cycles made only of type-only imports are harmless.',
      severity: 'error',
      from: { path: '^(src|scripts)/' },
      to: { circular: true, viaOnly: RUNTIME },
    },
  ],
  options: {
    // Packages are leaves: their insides are not ours to rule on.
    doNotFollow: { path: 'node_modules' },
    // Keep type-only imports in the graph (marked 'type-only') so each rule decides on them.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'node', 'default', 'types'],
    },
  },
};
