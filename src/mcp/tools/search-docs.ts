import { z } from 'zod';
import { defineTool, jsonResult } from './tool.ts';

/** Longer queries find nothing better, and each word costs a lookup. */
const MAX_QUERY_LENGTH = 200;
/** Enough of a section to judge it by; the assistant follows the URL for the rest. */
const EXCERPT_LENGTH = 400;

/** The site's own search (the index the search dialog uses), with absolute URLs. */
export const searchDocs = defineTool({
  name: 'search_docs',
  title: 'Search the docs',
  description:
    'Searches the Keyway docs and returns the best matching sections (up to 8), each with its page, heading, an excerpt and its absolute URL.',
  inputSchema: z.object({
    query: z
      .string()
      .trim()
      .min(1)
      .max(MAX_QUERY_LENGTH)
      .describe('Words to look for, e.g. "delete a customer".'),
  }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  offeredTo: () => true,
  run: async ({ query }, { search, siteOrigin }) =>
    jsonResult(
      (await search())(query).map(({ section }) => ({
        page: section.page,
        heading: section.heading,
        url: new URL(section.url, siteOrigin).href,
        excerpt: section.text.slice(0, EXCERPT_LENGTH),
      })),
    ),
});
