import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { CLI_SCRIPT } from '../../lib/cli-package/cli-package.ts';
import { bundleCli, cliPackageManifest } from './bundle-cli.ts';

/**
 * Bundles the terminal CLI when `astro build` is done, into dist/cli/ (beside the server
 * build, where the server reads it to make /cli/keyway.tgz for each site origin).
 */
export function cliBundle(): AstroIntegration {
  let root: URL;
  let outDir: URL;
  return {
    name: 'keyway:cli-bundle',
    hooks: {
      'astro:config:done': ({ config }) => {
        root = config.root;
        outDir = config.outDir;
      },
      'astro:build:done': async ({ logger }) => {
        const script = await bundleCli(fileURLToPath(new URL('src/cli/keyway.ts', root)));
        const { version } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
          version: string;
        };
        const dir = new URL('cli/', outDir);
        mkdirSync(dir, { recursive: true });
        writeFileSync(new URL(CLI_SCRIPT, dir), script, { mode: 0o755 });
        writeFileSync(new URL('package.json', dir), cliPackageManifest(version));
        logger.info(`CLI bundled (${Math.round(script.length / 1024)} KB) for /cli/keyway.tgz.`);
      },
    },
  };
}
