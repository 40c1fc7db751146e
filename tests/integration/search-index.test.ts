import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import {
  SEARCH_INDEX_PATH,
  createSearch,
  type DocsSearch,
  type SearchIndexFile,
} from '../../src/isomorphic/search/engine.ts';

const baseUrl = inject('baseUrl');
const contentDir = fileURLToPath(new URL('../../content/docs/', import.meta.url));

/**
 * Each query and where its first result must be, searched in the real built index with the
 * browser's options: on that page, or exactly that section where one section clearly answers.
 */
const QUALITY: Array<[query: string, expected: string]> = [
  ['api key', '/docs/keys'],
  ['restricted', '/docs/keys#restricted-keys'],
  ['roll', '/docs/keys#roll-a-key'],
  ['idempotency', '/docs/api/errors'],
  ['pagination', '/docs/api/events'],
  ['delete customer', '/docs/api/customers#delete-customer'],
  ['401', '/docs/api/authentication'],
  ['test mode', '/docs/test-mode'],
  ['basic auth', '/docs/api/authentication#basic-auth'],
  ['rate limit', '/docs/api/errors#rate_limit'],
  ['event types', '/docs/api/event-types'],
  ['verify webhook signature', '/docs/webhooks'],
  ['previous_attributes', '/docs/api/event-types#customerupdated'],
  ['log entry', '/docs/logs-and-events#what-a-log-entry-shows'],
  ['parameter_unknown', '/docs/api/errors#parameter_unknown'],
  ['list customers', '/docs/api/customers#list-customers'],
  ['idempotncy', '/docs/api/errors'],
  ['install sdk', '/docs/first-request'],
  ['secret manager', '/docs/keys'],
  ['how long are logs kept', '/docs/logs-and-events#how-long-records-are-kept'],
  ['livemode', '/docs/test-mode'],
  ['GET /v1/events/:id', '/docs/api/events#retrieve-event'],
];

let index: SearchIndexFile;
let search: DocsSearch;

beforeAll(async () => {
  const response = await fetch(`${baseUrl}${SEARCH_INDEX_PATH}`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  index = (await response.json()) as SearchIndexFile;
  search = createSearch(index.sections);
});

describe('search quality', () => {
  it.each(QUALITY)('"%s" finds %s first', (query, expected) => {
    const url = search(query)[0]?.section.url;
    expect(expected.includes('#') ? url : url?.split('#')[0]).toBe(expected);
  });
});

describe('the search index', () => {
  it('holds no key-shaped string, stand-in or author token', async () => {
    const text = JSON.stringify(index);
    expect(text.match(/(?:sk|pk|rk)_(?:test|live)_[0-9A-Za-z]{8,}/g)).toBeNull();
    expect(text.match(/KwStandIn\w*/g)).toBeNull();
    expect(text.match(/\{\{\s*[A-Z_]+\s*\}\}/g)).toBeNull();
    // Not empty by accident: the prose about key prefixes is there.
    expect(text).toContain('sk_test_');
    expect(text).toContain('rk_live_');
  });

  it("has every reader's page of content/docs, found on disk rather than from a list", () => {
    // Contributor pages (sidebar group Contributing) are left out of the reader's search.
    const pages = readdirSync(contentDir, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.mdx'))
      .filter((file) => !/^ {2}group: Contributing$/m.test(readFileSync(`${contentDir}${file}`, 'utf8')))
      .map((file) => `/docs/${file.replace(/\.mdx$/, '')}`)
      .sort();
    expect(pages.length).toBeGreaterThan(5);
    const indexed = [...new Set(index.sections.map((section) => section.url.split('#')[0]))].sort();
    expect(indexed).toEqual(pages);
  });

  it('links every section to a heading id that the page really has', async () => {
    const byPage = Map.groupBy(
      index.sections.filter((section) => section.url.includes('#')),
      (section) => section.url.split('#')[0]!,
    );
    for (const [page, sections] of byPage) {
      const html = await (await fetch(`${baseUrl}${page}`)).text();
      for (const section of sections) {
        expect(html, section.url).toContain(`id="${section.url.split('#')[1]}"`);
      }
    }
  });

  it("lists each section's API calls by method and path", () => {
    const remove = index.sections.find((section) => section.url === '/docs/api/customers#delete-customer');
    expect(remove?.api).toContain('DELETE /v1/customers/:id');
  });
});
