import { z } from 'zod';
import { markdownForPage } from '../../lib/markdown/page-markdown.ts';
import { fillEncodedTemplate, needsObjectIds } from '../../lib/page-template/standins.ts';
import { DEFAULT_LANGUAGE, LANGUAGE_IDS } from '../../lib/snippets/languages/index.ts';
import { sampleKeySecret } from '../../lib/keys/sample-key-secret.ts';
import { callerPageValues } from '../caller/page-values.ts';
import { defineTool, errorResult } from './tool.ts';

/** Longer than any page's address; a longer one is refused before it is looked at. */
const MAX_PATH_LENGTH = 300;

/**
 * A docs page's path and nothing else: `/docs/` and segments of letters, digits and dashes,
 * then optionally `.md`, a query or a fragment (search_docs links to sections). No dots,
 * percent escapes or backslashes can get through, so no spelling of `..` reaches the lookup.
 */
const DOCS_PATH = /^(\/docs(?:\/[A-Za-z0-9-]+)+)(?:\.md)?(?:[?#].*)?$/;

/**
 * The page a caller named: `/docs/keys`, `/docs/keys.md`, or either as a full URL of this
 * site. Null for anything else: another host (whatever it claims to be), a path outside
 * `/docs/`, or one that tries to climb out of it.
 */
export function pageFromAddress(address: string, siteOrigin: string): string | null {
  const path = address.startsWith(`${siteOrigin}/`) ? address.slice(siteOrigin.length) : address;
  return DOCS_PATH.exec(path)?.[1]?.toLowerCase() ?? null;
}

/** A docs page as Markdown, with the caller's own keys in its samples (see callerPageValues). */
export const readPage = defineTool({
  name: 'read_page',
  title: 'Read a docs page',
  description:
    'Reads one Keyway docs page as Markdown, by its path ("/docs/keys", "/docs/keys.md") or its full URL on this site (as search_docs returns). ' +
    "With a test secret key, the samples carry the caller's own keys and run as they are; otherwise they show placeholders.",
  inputSchema: z.object({
    path: z
      .string()
      .trim()
      .min(1)
      .max(MAX_PATH_LENGTH)
      .describe('The page, e.g. "/docs/first-request" or a URL from search_docs.'),
    language: z
      .enum(LANGUAGE_IDS)
      .optional()
      .describe(`The language of the samples beside curl; ${DEFAULT_LANGUAGE} (curl only) if left out.`),
  }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  offeredTo: () => true,
  run: async ({ path, language }, { config, db, caller, siteOrigin }) => {
    const page = pageFromAddress(path, siteOrigin);
    if (!page) {
      return errorResult(
        `"${path}" is not a docs page of this site. Give a path such as /docs/first-request, or a URL from search_docs.`,
      );
    }
    const markdown = await markdownForPage(page, language ?? DEFAULT_LANGUAGE, async (template) =>
      fillEncodedTemplate(
        template,
        await callerPageValues(
          db,
          caller,
          new URL(siteOrigin),
          needsObjectIds(template),
          await sampleKeySecret(db, config.sampleKeySecret),
        ),
      ),
    );
    if (markdown === null) {
      return errorResult(
        `No docs page is at ${page}. search_docs finds pages; ${siteOrigin}/llms.txt lists them all.`,
      );
    }
    return { content: [{ type: 'text', text: markdown }] };
  },
});
