import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { bundleServer } from './bundle-server.ts';

/** Where the bundled production server is written, relative to the build's folder. */
export const SERVER_BUNDLE = 'node-server/main.mjs';

/**
 * Bundles the production server when `astro build` is done, into dist/node-server/ beside
 * Astro's own server build, which it loads (`npm start` runs it).
 */
export function serverBundle(): AstroIntegration {
  let root: URL;
  let outDir: URL;
  return {
    name: 'keyway:server-bundle',
    hooks: {
      'astro:config:done': ({ config }) => {
        root = config.root;
        outDir = config.outDir;
      },
      'astro:build:done': async ({ logger }) => {
        await bundleServer(
          fileURLToPath(new URL('src/server/main.ts', root)),
          fileURLToPath(new URL(SERVER_BUNDLE, outDir)),
        );
        logger.info(`Server bundled into ${SERVER_BUNDLE}.`);
      },
    },
  };
}
