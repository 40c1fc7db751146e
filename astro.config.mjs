// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import node from '@astrojs/node';
import { rehypeHeadingIds, unified } from '@astrojs/markdown-remark';
import rehypeAutolinkHeadings from 'rehype-autolink-headings';
import { remarkCodeSamples } from './src/build/remark-code-samples.ts';
import { remarkExampleSource } from './src/build/remark-example-source.ts';
import { rehypeTableLabels } from './src/build/rehype-table-labels.ts';
import { remarkOperations } from './src/lib/reference/operations-layout.ts';
import { referenceExamples } from './src/build/reference-examples/examples-plugin.ts';
import { markdownPages } from './src/build/markdown/integration.ts';
import { cliBundle } from './src/build/cli-bundle/integration.ts';
import { serverBundle } from './src/build/server-bundle/integration.ts';
import { THEME_SCRIPT_HASH } from './src/lib/theme-script.ts';

// Docs pages are rendered on demand: every page carries the reader's keys. Code fences
// never reach Astro's own highlighter; remarkCodeSamples hands them to <CodeSample>, which
// highlights each distinct code once and leaves key stand-ins to be filled per reader.
// remarkExampleSource goes first: it reads each <Example>'s source by position, and
// remarkCodeSamples replaces fences with nodes that have none. remarkOperations lays out
// the API reference's operations (a heading each) before the headings get their ids.
export default defineConfig({
  output: 'server',
  // Standalone mode yields a handler that also serves static files; src/server/main.ts
  // wraps it so cached docs pages skip Astro's per-request pipeline (see the README's "How it works").
  adapter: node({ mode: 'standalone' }),
  server: { port: 4321 },
  markdown: {
    syntaxHighlight: false,
    processor: unified({
      remarkPlugins: [remarkExampleSource, remarkOperations, remarkCodeSamples],
      // Headings get their ids first: the anchor links need them, and Astro's own pass,
      // which runs after user plugins, keeps ids it finds.
      rehypePlugins: [
        rehypeHeadingIds,
        rehypeTableLabels,
        [
          rehypeAutolinkHeadings,
          {
            behavior: 'append',
            properties: { className: ['kw-anchor'], ariaHidden: 'true', tabIndex: -1 },
            content: { type: 'text', value: '#' },
          },
        ],
      ],
    }),
  },
  // Every docs page as Markdown, for assistants (/docs/<page>.md, /llms.txt); the terminal
  // CLI as one script, which the server packs for readers (/cli/keyway.tgz); the production
  // server as one plain script, which `npm start` runs.
  integrations: [mdx(), markdownPages(), cliBundle(), serverBundle()],
  // The API reference's example responses, made by the real sandbox when the site is built.
  vite: { plugins: [referenceExamples()] },
  security: {
    // src/middleware.ts checks origins itself, so that the sandbox API (/v1), which SDKs
    // call without an Origin header, can be exempt.
    checkOrigin: false,
    // Astro hashes the scripts and styles it emits. Highlighted code colours its tokens with
    // style attributes, which only style-src-attr can allow. The one inline script, which
    // sets the theme before first paint, is allowed by its hash.
    csp: {
      directives: [
        "default-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
      ],
      scriptDirective: { hashes: [THEME_SCRIPT_HASH] },
      styleDirective: { resources: ["'self'", { resource: "'unsafe-inline'", kind: 'attribute' }] },
    },
  },
});
