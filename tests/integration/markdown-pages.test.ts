import { spawnSync } from 'node:child_process';
import { describe, expect, inject, it } from 'vitest';
import { markdownProblems } from '../../src/lib/markdown/markdown-lint.ts';
import { LANGUAGE_IDS } from '../../src/lib/snippets/languages/index.ts';
import { CookieJar, distinct, get, SECRET_KEY_PATTERN, signUpReader } from '../support/http.ts';

const baseUrl = inject('baseUrl');

/** Any issued key: a prefix and a 24-character body, not followed by more of a word. */
const KEY_SHAPED = /(?:sk|pk|rk)_(?:test|live)_[0-9A-Za-z]{24}(?![0-9A-Za-z_])/g;

/** The `.md` links of llms.txt, as absolute URLs. */
async function indexLinks(): Promise<string[]> {
  const index = await (await get('/llms.txt')).text();
  return [...index.matchAll(/^- \[[^\]]+\]\(([^)]+)\)/gm)].map((match) => match[1]!);
}

/** The reader's secret key as their HTML page shows it. */
async function keyOnPage(jar: CookieJar): Promise<string> {
  const keys = distinct(await (await get('/docs/keys', jar)).text(), SECRET_KEY_PATTERN);
  expect(keys).toHaveLength(1);
  return keys[0]!;
}

/** The first fenced block holding a curl command, without the list indent. */
function firstCurlBlock(markdown: string): string {
  const block = [...markdown.matchAll(/^( *)```bash\n([\s\S]*?)\n\1```$/gm)].find((match) =>
    /^\s*curl /m.test(match[2]!),
  );
  expect(block, 'a curl block').toBeDefined();
  const indent = block![1]!.length;
  return block![2]!
    .split('\n')
    .map((line) => line.slice(indent))
    .join('\n');
}

describe('/llms.txt', () => {
  it('is in the llmstxt.org shape, with instructions and absolute links', async () => {
    const response = await get('/llms.txt');
    expect(response.status).toBe(200);
    const index = await response.text();
    expect(index).toMatch(/^# Keyway\n\n> .+\n\nInstructions for assistants: /);
    expect(index).toContain(`${baseUrl}/v1`);
    expect(index).toContain(`${baseUrl}/docs/api/errors.md`);
    expect(index).toContain("Stripe's wire format");
    for (const group of ['## Get started', '## Guides', '## API reference']) expect(index).toContain(group);
    expect(index).toContain(`(${baseUrl}/openapi.json)`);
    expect(index).not.toMatch(KEY_SHAPED);
  });

  it('links every docs page in the sitemap, and every link answers 200, each page with Markdown', async () => {
    const links = await indexLinks();
    const sitemap = await (await get('/sitemap.xml')).text();
    const docsPages = [...sitemap.matchAll(/<loc>[^<]*(\/docs\/[^<]+)<\/loc>/g)]
      .map((match) => match[1])
      // The contributor guide is in the sitemap but not for readers, so neither in llms.txt.
      .filter((page) => page !== '/docs/writing');
    expect(docsPages.length).toBeGreaterThan(5);
    for (const page of docsPages) expect(links).toContain(`${baseUrl}${page}.md`);
    for (const link of links) {
      const response = await fetch(link);
      expect(response.status, link).toBe(200);
      if (link.endsWith('.md'))
        expect(response.headers.get('content-type'), link).toBe('text/markdown; charset=utf-8');
    }
  });
});

describe('a docs page as Markdown', () => {
  it('has no component tags, closes every fence and names its language, in every language', async () => {
    const links = (await indexLinks()).filter((link) => link.endsWith('.md'));
    expect(links.length).toBeGreaterThan(5);
    for (const link of links) {
      for (const language of LANGUAGE_IDS) {
        const markdown = await (await fetch(`${link}?lang=${language}`)).text();
        expect(markdownProblems(markdown), `${link} in ${language}`).toEqual([]);
        expect(markdown, link).not.toContain('KwStandIn');
      }
    }
  });

  it("shows curl and the reader's chosen language", async () => {
    const jar = new CookieJar();
    jar.cookies.set('kw_lang', 'python');
    const markdown = await (await get('/docs/first-request.md', jar)).text();
    expect(markdown).toContain('```python');
    expect(markdown).toMatch(/^\s*curl /m);
    expect(markdown).not.toContain('```javascript');
  });

  it("carries a signed-in reader's own key and no other reader's, privately", async () => {
    const first = new CookieJar();
    const second = new CookieJar();
    await signUpReader(first);
    await signUpReader(second);
    const firstKey = await keyOnPage(first);
    const secondKey = await keyOnPage(second);
    const response = await get('/docs/first-request.md', first);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(response.headers.get('vary')).toBe('Accept, Cookie');
    const markdown = await response.text();
    expect(distinct(markdown, SECRET_KEY_PATTERN)).toEqual([firstKey]);
    expect(markdown).not.toContain(secondKey);
  });

  it("gives a visitor the page's sample key, which works against the sandbox", async () => {
    const jar = new CookieJar();
    const markdown = await (await get('/docs/keys.md', jar)).text();
    const keys = distinct(markdown, SECRET_KEY_PATTERN);
    expect(keys).toHaveLength(1);
    // The same visitor's HTML page shows the same key: one sample key pair per visit.
    expect(await keyOnPage(jar)).toBe(keys[0]);
    const customers = await fetch(`${baseUrl}/v1/customers`, {
      headers: { authorization: `Bearer ${keys[0]}` },
    });
    expect(customers.status).toBe(200);
  });

  it("runs the walkthrough's curl as it is, and the customer it makes is in the reader's sandbox", async () => {
    const jar = new CookieJar();
    const markdown = await (await get('/docs/first-request.md', jar)).text();
    const command = firstCurlBlock(markdown);
    expect(command).toContain(`${baseUrl}/v1/customers`);
    const run = spawnSync('bash', ['-c', `${command} --silent --show-error --write-out '\\n%{http_code}'`], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.stderr).toBe('');
    const status = run.stdout.trim().split('\n').at(-1);
    expect(status).toBe('200');
    const created = JSON.parse(run.stdout.trim().split('\n').slice(0, -1).join('\n')) as { id: string };
    const [key] = distinct(markdown, SECRET_KEY_PATTERN);
    const list = (await (
      await fetch(`${baseUrl}/v1/customers`, { headers: { authorization: `Bearer ${key}` } })
    ).json()) as { data: Array<{ id: string; email: string }> };
    expect(list.data.map((customer) => customer.id)).toContain(created.id);
  });

  it('answers Accept: text/markdown on the page URL with the same body as .md', async () => {
    const jar = new CookieJar();
    const byPath = await (await get('/docs/api/customers.md', jar)).text();
    const negotiated = await get('/docs/api/customers', jar, { headers: { accept: 'text/markdown' } });
    expect(negotiated.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(negotiated.headers.get('vary')).toBe('Accept, Cookie');
    expect(await negotiated.text()).toBe(byPath);
    // q-values decide: a client that would rather have HTML gets the page.
    const html = await get('/docs/api/customers', jar, {
      headers: { accept: 'text/markdown;q=0.5, text/html' },
    });
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html.headers.get('vary')).toContain('Accept');
    const browser = await get('/docs/api/customers', jar, { headers: { accept: '*/*' } });
    expect(browser.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('gives 404 for a page that does not exist, and sets no cookie', async () => {
    const response = await get('/docs/no-such-page.md', new CookieJar());
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(await response.text()).not.toMatch(KEY_SHAPED);
  });
});

describe('/llms-full.txt', () => {
  it('holds every page and the reference, with no key, cacheable by ETag', async () => {
    const response = await get('/llms-full.txt', new CookieJar());
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toMatch(/^public/);
    expect(response.headers.get('set-cookie')).toBeNull();
    const full = await response.text();
    for (const link of (await indexLinks()).filter((link) => link.endsWith('.md'))) {
      expect(full).toContain(`Source: ${link}`);
    }
    expect(full).toContain('## Create a customer');
    expect(full).toContain('sk_test_YOUR_SECRET_KEY');
    expect(full.match(KEY_SHAPED)).toBeNull();
    expect(markdownProblems(full)).toEqual([]);
    const etag = response.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await fetch(`${baseUrl}/llms-full.txt`, { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
  });
});
