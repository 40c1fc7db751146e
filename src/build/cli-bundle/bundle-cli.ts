import { build } from 'esbuild';

/** The oldest Node the bundled CLI is written for (it needs global fetch and Web Crypto, which signs webhooks). */
export const CLI_NODE_TARGET = 'node20';

/**
 * The terminal CLI (`src/cli/keyway.ts` and everything it imports) as one plain ES module for
 * Node 20 and newer, so a reader can run it without a clone, TypeScript or our dependencies.
 * The clone's own first line runs Node with type stripping; the bundle is plain JavaScript.
 */
export async function bundleCli(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: CLI_NODE_TARGET,
    write: false,
    // Whitespace and syntax only: names stay, so a stack trace a reader reports is readable.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.text.replace(/^#![^\n]*\n/, '');
  return `#!/usr/bin/env node\n${code}`;
}

/** The package.json of the CLI package: no dependencies, one command, the Node it needs. */
export function cliPackageManifest(version: string): string {
  const manifest = {
    name: 'keyway-cli',
    version,
    description: "The Keyway sandbox's command line: call the API from a terminal with `keyway`.",
    type: 'module',
    bin: { keyway: 'keyway.mjs' },
    engines: { node: '>=20' },
    license: 'UNLICENSED',
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
