import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { produceExampleResponses } from '../reference-examples/example-responses.ts';
import { buildMarkdownBundle } from './bundle.ts';

/**
 * Writes every docs page's Markdown (src/lib/markdown) when `astro build` is done, to a file
 * the production server reads (MARKDOWN_BUNDLE_FILE, dist/markdown/pages.json): the pages' `.md`, `/llms.txt` and `/llms-full.txt` come from it.
 * The reference's example responses are made again by the sandbox, as for the HTML.
 */
export function markdownPages(): AstroIntegration {
  let root: URL;
  let outDir: URL;
  return {
    name: 'keyway:markdown-pages',
    hooks: {
      'astro:config:done': ({ config }) => {
        root = config.root;
        outDir = config.outDir;
      },
      'astro:build:done': async ({ logger }) => {
        const docsDir = fileURLToPath(new URL('content/docs/', root));
        const bundle = buildMarkdownBundle(docsDir, await produceExampleResponses());
        const file = fileURLToPath(new URL('markdown/pages.json', outDir));
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, JSON.stringify(bundle));
        logger.info(`Markdown for ${bundle.pages.length} pages written.`);
      },
    },
  };
}
