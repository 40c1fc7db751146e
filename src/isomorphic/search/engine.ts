import MiniSearch, { type Options, type SearchResult } from 'minisearch';

/**
 * Search over the docs, shared by the browser (src/client/search/) and the tests, so the
 * quality test ranks with exactly the options readers get. Kept free of Node and Astro
 * imports: it is bundled into the lazily loaded search script.
 */

/** One searchable part of a docs page: its introduction, or the text under one heading. */
export interface SearchSection {
  /** Where the section starts: `/docs/keys#roll-a-key`, or the page itself for its introduction. */
  url: string;
  /** The page's title. */
  page: string;
  /** The section's heading; the page title for the text above the page's first heading. */
  heading: string;
  /** The section's prose, tables and lists, without code samples. */
  text: string;
  /** The API calls and shell commands the section shows, e.g. `DELETE /v1/customers/:id delete customers`. */
  api: string;
}

/** The static file the docs are searched from (src/pages/search-index.json.ts). */
export interface SearchIndexFile {
  sections: SearchSection[];
}

export const SEARCH_INDEX_PATH = '/search-index.json';

/** A word: letters and digits. Excerpts mark matches word by word. */
export const WORD = /[\p{L}\p{N}]+/gu;

/** Words joined by `.`, `_` or `-`, as API names are: `customer.created`, `starting_after`, `Idempotency-Key`. */
const JOINED_WORDS = /[\p{L}\p{N}]+(?:[._-][\p{L}\p{N}]+)*/gu;

/** Words too common to tell sections apart; dropping them lets "delete a customer" match "Delete customer". */
const STOP_WORDS = new Set(
  'a an and are as at be by can do for from how i if in is it its keyway my of on or the this to was what when with you your'.split(
    ' ',
  ),
);

/**
 * Splits text into terms: each word, and each API name whole as well, so a query for
 * `customer.created` ranks the sections that name that event above those that merely say
 * "customer" and "created".
 */
export function tokenize(text: string): string[] {
  const terms: string[] = [];
  for (const [joined] of text.matchAll(JOINED_WORDS)) {
    const words = joined.match(WORD)!;
    terms.push(...words);
    if (words.length > 1) terms.push(joined);
  }
  return terms;
}

/**
 * A word as the index stores it: lower case, stop words dropped, a plural's `s` removed
 * ("keys" finds "key"). The same function turns excerpt words into index terms, which is
 * how the excerpt knows what to highlight.
 */
export function normalizeWord(word: string): string | null {
  const lower = word.toLowerCase();
  if (STOP_WORDS.has(lower)) return null;
  if (lower.length > 4 && lower.endsWith('ies')) return `${lower.slice(0, -3)}y`;
  if (lower.length > 3 && lower.endsWith('s') && !/(?:ss|us|is)$/.test(lower)) return lower.slice(0, -1);
  return lower;
}

/** The fields searched and how much a match in each counts. */
export const SEARCH_OPTIONS: Options<SearchSection> = {
  idField: 'url',
  fields: ['page', 'heading', 'text', 'api'],
  tokenize,
  processTerm: normalizeWord,
  searchOptions: {
    boost: { heading: 3, page: 2, api: 2 },
    // Results come as the reader types, so any word may be the start of a longer one.
    prefix: true,
    // A typo in a long word is forgiven; API names (`customer.created`) must be exact, or
    // they would match their siblings (`customer.updated`).
    fuzzy: (term) => (/^[\p{L}\p{N}]{5,}$/u.test(term) ? 0.2 : false),
  },
};

/** How many results the search shows. */
export const RESULT_LIMIT = 8;

/** One result: the section, and the index terms it matched (for highlighting). */
export interface SearchHit {
  section: SearchSection;
  terms: Set<string>;
}

/** Finds the best sections for a query. */
export type DocsSearch = (query: string) => SearchHit[];

/**
 * Builds the in-memory index from the sections of the static index file. Every word of a
 * query must match when some section has them all; otherwise any word may, so one stray
 * word still finds something.
 */
export function createSearch(sections: readonly SearchSection[]): DocsSearch {
  const index = new MiniSearch<SearchSection>(SEARCH_OPTIONS);
  index.addAll(sections);
  const byUrl = new Map(sections.map((section) => [section.url, section]));
  return (query) => {
    let results: SearchResult[] = index.search(query, { combineWith: 'AND' });
    if (results.length === 0) results = index.search(query, { combineWith: 'OR' });
    return results.slice(0, RESULT_LIMIT).map((result) => ({
      section: byUrl.get(result.id as string)!,
      terms: new Set(result.terms),
    }));
  };
}
