import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  CookieJar,
  distinct,
  get,
  getWithHost,
  headOverSocket,
  PUBLISHABLE_KEY_PATTERN,
  SECRET_KEY_PATTERN,
} from '../support/http.ts';
import { newReaderWithKeys } from '../support/sandbox.ts';
import { startServer, type RunningServer } from '../support/server.ts';

const DOCS_PAGES = [
  '/',
  '/docs/first-request',
  '/docs/keys',
  '/docs/test-mode',
  '/docs/logs-and-events',
  '/docs/ai-assistants',
  '/docs/api/authentication',
  '/docs/api/errors',
  '/docs/api/customers',
  '/docs/api/events',
];

describe('docs pages for an anonymous reader', () => {
  it('show one sample key pair, the same on every page of a visit', async () => {
    const jar = new CookieJar();
    const seen = new Set<string>();
    for (const path of DOCS_PAGES) {
      const response = await get(path, jar);
      expect(response.status, path).toBe(200);
      const html = await response.text();
      const secrets = distinct(html, SECRET_KEY_PATTERN);
      const publishables = distinct(html, PUBLISHABLE_KEY_PATTERN);
      expect(secrets, path).toHaveLength(1);
      expect(publishables.length, path).toBeLessThanOrEqual(1);
      secrets.forEach((key) => seen.add(key));
      expect(html, path).not.toContain('KwStandIn');
      expect(html, path).not.toContain('{{');
      expect(html, path).not.toMatch(/(sk|pk|rk)_live_[0-9A-Za-z]{8,}/);
    }
    expect(seen.size).toBe(1);
    expect(jar.cookies.get('kw_sample')).toContain([...seen][0]);
  });

  it('give two visitors different keys', async () => {
    const first = await (await get('/docs/first-request', new CookieJar())).text();
    const second = await (await get('/docs/first-request', new CookieJar())).text();
    expect(distinct(first, SECRET_KEY_PATTERN)[0]).not.toBe(distinct(second, SECRET_KEY_PATTERN)[0]);
    expect(distinct(first, PUBLISHABLE_KEY_PATTERN)[0]).not.toBe(
      distinct(second, PUBLISHABLE_KEY_PATTERN)[0],
    );
  });

  it('set the sample-key cookie once, HttpOnly, for the visit only', async () => {
    const jar = new CookieJar();
    const first = await get('/docs/keys', jar);
    const cookie = first.headers.getSetCookie().find((line) => line.startsWith('kw_sample='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Max-Age|Expires/i);
    const second = await get('/docs/keys', jar);
    expect(second.headers.getSetCookie()).toEqual([]);
  });

  it('mark every response that shows a key as private and cookie-dependent', async () => {
    for (const path of DOCS_PAGES) {
      for (const attempt of ['miss or hit', 'hit']) {
        const response = await get(path, new CookieJar());
        expect(response.headers.get('cache-control'), `${path} ${attempt}`).toBe('private, no-store');
        expect(response.headers.get('vary'), `${path} ${attempt}`).toMatch(/Cookie/);
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
        expect(response.headers.get('x-keyway-template')).toBeNull();
      }
    }
  });

  it.each([
    ['markup', '<script>alert(1)</script>'],
    ['a live key', `sk_live_${'a'.repeat(24)}.pk_live_${'a'.repeat(24)}`],
    ['a key of the wrong length', `sk_test_${'a'.repeat(30)}.pk_test_${'a'.repeat(24)}`],
    ['a quote-breaking value', `sk_test_${'a'.repeat(23)}".pk_test_${'a'.repeat(24)}`],
    // Well formed, but not signed by this site: it could not start a guest.
    ['an unsigned pair', `sk_test_${'a'.repeat(24)}.pk_test_${'a'.repeat(24)}`],
  ])('ignore and replace a forged cookie holding %s', async (_case, forged) => {
    const jar = new CookieJar();
    jar.cookies.set('kw_sample', encodeURIComponent(forged));
    const response = await get('/docs/first-request', jar);
    const html = await response.text();
    expect(html).not.toContain(forged);
    expect(html).not.toContain(encodeURIComponent(forged));
    expect(html).not.toContain('alert(1)');
    expect(html).not.toContain('a'.repeat(24));
    expect(distinct(html, SECRET_KEY_PATTERN)).toHaveLength(1);
    expect(response.headers.getSetCookie().some((line) => line.startsWith('kw_sample=sk_test_'))).toBe(true);
  });

  it('serve the same bytes from Astro and from the page cache', async () => {
    const jar = new CookieJar();
    await get('/docs/test-mode?lang=go', jar);
    const first = await (await get('/docs/test-mode?lang=ruby', jar)).text();
    const second = await (await get('/docs/test-mode?lang=ruby', jar)).text();
    expect(second).toBe(first);
  });

  it('answer HEAD without a body', async () => {
    const response = await headOverSocket('/docs/keys');
    expect(response.status).toBe(200);
    expect(response.afterHeaders.toString('latin1')).toBe('');
  });
});

describe('language choice', () => {
  /** The tab each sample on the page shows first, as distinct attribute runs. */
  const selectedTabs = (html: string) =>
    distinct(html, /aria-selected="true" tabindex="0" data-tab="[a-z-]+"/g);

  it('renders curl first for a new reader', async () => {
    const html = await (await get('/docs/api/customers', new CookieJar())).text();
    expect(selectedTabs(html)).toEqual(['aria-selected="true" tabindex="0" data-tab="curl"']);
  });

  it('follows ?lang= and remembers it for the next page', async () => {
    const jar = new CookieJar();
    const first = await get('/docs/api/customers?lang=python', jar);
    expect(selectedTabs(await first.text())).toEqual(['aria-selected="true" tabindex="0" data-tab="python"']);
    expect(jar.cookies.get('kw_lang')).toBe('python');
    const next = await (await get('/docs/api/events', jar)).text();
    expect(selectedTabs(next)).toEqual(['aria-selected="true" tabindex="0" data-tab="python"']);
  });

  it('ignores an unknown language', async () => {
    const jar = new CookieJar();
    jar.cookies.set('kw_lang', 'cobol');
    const html = await (await get('/docs/api/customers?lang=<x>', jar)).text();
    expect(selectedTabs(html)).toEqual(['aria-selected="true" tabindex="0" data-tab="curl"']);
  });
});

describe('the API base in samples', () => {
  it('is the origin the reader used', async () => {
    const html = await getWithHost('/docs/api/customers', 'docs.test:8443');
    expect(html).toContain('http://docs.test:8443/v1/customers');
  });

  it('falls back when the Host header is not a plain host', async () => {
    const html = await getWithHost('/docs/api/customers', 'evil"><img src=x>');
    expect(html).not.toContain('evil');
    expect(html).toContain('http://localhost:4321/v1/customers');
  });

  describe('with PUBLIC_ORIGIN set', () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await startServer({ PUBLIC_ORIGIN: 'https://docs.example.com' });
    });
    afterAll(() => server.stop());

    it('is the public origin, with Secure cookies', async () => {
      const response = await fetch(`${server.baseUrl}/docs/api/customers`);
      const html = await response.text();
      expect(html).toContain('https://docs.example.com/v1/customers');
      expect(html).not.toContain(server.baseUrl);
      expect(response.headers.getSetCookie()[0]).toMatch(/Secure/);
    });
  });
});

describe('pages that do not exist', () => {
  it('get a 404 page that leads back', async () => {
    const response = await get('/docs/no-such-page', new CookieJar());
    expect(response.status).toBe(404);
    const html = await response.text();
    expect(html).toContain('find that page');
    expect(html).toContain('href="/docs/first-request"');
  });

  it('suggest the closest docs pages for a mistyped path, then Get started and the API reference', async () => {
    const response = await get('/docs/firts-request', new CookieJar());
    expect(response.status).toBe(404);
    const html = await response.text();
    const near = html.match(/<section class="kw-notfound__near[\s\S]*?<\/section>/)?.[0] ?? '';
    const suggested = [...near.matchAll(/<a href="([^"]+)"/g)].map((match) => match[1]);
    expect(suggested[0]).toBe('/docs/first-request');
    expect(suggested.length).toBeLessThanOrEqual(3);
    expect(html).toMatch(/<a class="kw-button" href="\/docs\/first-request"[^>]*>\s*Get started/);
    expect(html).toMatch(/href="\/docs\/api\/authentication"[^>]*>\s*API reference/);
    // Words of a path find pages too, and the path itself is never echoed.
    const byWords = await (await get('/docs/customer-objects', new CookieJar())).text();
    expect(byWords).toContain('<a href="/docs/api/customers"');
    expect(byWords).not.toContain('customer-objects');
  });

  it('redirect /docs to the walkthrough', async () => {
    const response = await get('/docs', new CookieJar());
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/docs/first-request');
  });
});

describe('the guide to AI assistants', () => {
  const baseUrl = inject('baseUrl');
  /** The Claude Code line as the reader copies it, for a key. */
  const claudeLine = (key: string): string =>
    `claude mcp add --transport http keyway ${baseUrl}/mcp --header "Authorization: Bearer ${key}"`;
  /** A page's text as a reader sees it: highlighting markup gone, entities decoded. */
  const visibleText = (html: string): string =>
    html
      .replace(/<[^>]+>/g, '')
      .replaceAll('&quot;', '"')
      .replaceAll('&#34;', '"')
      .replaceAll('&amp;', '&');

  it('gives a signed-in reader the Claude Code line with their own key, on the page and in its .md', async () => {
    const reader = await newReaderWithKeys(baseUrl);
    const other = await newReaderWithKeys(baseUrl);
    const page = await get('/docs/ai-assistants', reader.jar);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(visibleText(html)).toContain(claudeLine(reader.secretKey));
    expect(distinct(html, SECRET_KEY_PATTERN)).toEqual([reader.secretKey]);
    expect(html).not.toContain(other.secretKey);
    // Config files take the key from the environment or a prompt, never written in.
    expect(visibleText(html)).toContain('Bearer ${env:KEYWAY_SECRET_KEY}');
    expect(visibleText(html)).toContain('"password": true');
    const markdown = await (await get('/docs/ai-assistants.md', reader.jar)).text();
    expect(markdown).toContain(claudeLine(reader.secretKey));
    expect(distinct(markdown, SECRET_KEY_PATTERN)).toEqual([reader.secretKey]);
  });

  it('gives a visitor the same line with their sample key, on the page and in its .md', async () => {
    const jar = new CookieJar();
    const html = await (await get('/docs/ai-assistants', jar)).text();
    const [sample] = distinct(html, SECRET_KEY_PATTERN);
    expect(sample).toBeDefined();
    expect(visibleText(html)).toContain(claudeLine(sample!));
    const markdown = await (await get('/docs/ai-assistants.md', jar)).text();
    expect(markdown).toContain(claudeLine(sample!));
    expect(markdown).toMatch(/```json\n/);
  });

  it('is in the sidebar, under Guides', async () => {
    const html = await (await get('/docs/first-request', new CookieJar())).text();
    expect(html).toContain('href="/docs/ai-assistants"');
  });
});
