import { getCollection, render } from 'astro:content';
import { docsHref, isReaderPage } from '../lib/docs/navigation.ts';
import type { SearchIndexFile, SearchSection } from '../isomorphic/search/engine.ts';
import { findLeaks } from '../build/search-index/leaks.ts';
import { pageSections } from '../build/search-index/sections.ts';

/**
 * The docs search index, written once at build time to a static file (nothing in it is
 * personal, unlike the pages). Every reader's page of the docs collection is in it, split
 * into sections at its headings (the contributor pages are not: a reader searching for a
 * component's name wants the API, not how a page is written); the browser builds its MiniSearch index from these on first
 * open (src/client/search/).
 */
export const prerender = true;

export async function GET(): Promise<Response> {
  const entries = (await getCollection('docs', isReaderPage)).sort((a, b) => a.id.localeCompare(b.id));
  const sections: SearchSection[] = [];
  for (const entry of entries) {
    const { headings } = await render(entry);
    sections.push(
      ...pageSections({
        url: docsHref(entry.id),
        title: entry.data.title,
        description: entry.data.description,
        body: entry.body ?? '',
        headings,
      }),
    );
  }
  const index: SearchIndexFile = { sections };
  const body = JSON.stringify(index);
  const leaks = findLeaks(body);
  if (leaks.length > 0) {
    throw new Error(`The search index would contain secrets or stand-ins: ${leaks.join(', ')}.`);
  }
  return new Response(body, { headers: { 'content-type': 'application/json; charset=utf-8' } });
}
