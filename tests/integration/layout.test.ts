import { beforeAll, describe, expect, it } from 'vitest';
import { SEARCH_INDEX_PATH } from '../../src/isomorphic/search/engine.ts';
import { CookieJar, get, signUpReader } from '../support/http.ts';

/** The one header's section links, the footer, and where the contributor pages are linked. */

let signedIn: CookieJar;
beforeAll(async () => {
  signedIn = new CookieJar();
  await signUpReader(signedIn);
});

async function html(path: string, jar = new CookieJar()): Promise<string> {
  return (await get(path, jar)).text();
}

function part(page: string, pattern: RegExp): string {
  const found = pattern.exec(page)?.[1];
  if (found === undefined) throw new Error(`${pattern} is not on the page.`);
  return found;
}
const header = (page: string) => part(page, /<header class="kw-header"[^>]*>([\s\S]*?)<\/header>/);
const sectionNav = (page: string) => part(page, /<nav class="kw-header__nav"[^>]*>([\s\S]*?)<\/nav>/);
const footer = (page: string) => part(page, /<footer class="kw-footer"[^>]*>([\s\S]*?)<\/footer>/);
const sidebar = (page: string) => part(page, /<nav id="kw-sidebar"[^>]*>([\s\S]*?)<\/nav>/);

describe('every page', () => {
  const pages = async (): Promise<Array<[path: string, page: string]>> => [
    ['/', await html('/')],
    ['/login', await html('/login')],
    ['/no-such-page', await html('/no-such-page')],
    ['/docs/keys', await html('/docs/keys')],
    ['/dashboard/logs', await html('/dashboard/logs', signedIn)],
  ];

  it('has the one header, with the menu and Shell buttons, and the docs navigation they open', async () => {
    for (const [path, page] of await pages()) {
      expect(page.match(/<header class="kw-header"/g), path).toHaveLength(1);
      expect(header(page), path).toContain('data-kw-sidebar-toggle');
      expect(header(page), path).toContain('data-kw-shell-toggle');
      expect(page, path).toContain('data-kw-shell-panel');
      expect(sidebar(page), path).toContain('href="/docs/api/customers"');
    }
  });

  it('has a footer linking /openapi.json, /llms.txt and the contributor guide, each served', async () => {
    for (const [path, page] of await pages()) {
      const links = [...footer(page).matchAll(/href="([^"]+)"/g)].map((match) => match[1]!);
      expect(links, path).toEqual(['/openapi.json', '/llms.txt', '/docs/writing']);
    }
    for (const link of ['/openapi.json', '/llms.txt', '/docs/writing']) {
      expect((await get(link)).status, link).toBe(200);
    }
  });
});

describe('the header section links', () => {
  it('each lead to a page of the group they name, and mark the section the reader is in', async () => {
    const guides = await html('/docs/logs-and-events');
    expect(sectionNav(guides)).toContain('<a href="/docs/logs-and-events" aria-current="page">Guides</a>');
    expect(sidebar(guides)).toMatch(/Guides<\/h2>[\s\S]*?href="\/docs\/logs-and-events"/);

    const customers = sectionNav(await html('/docs/api/customers'));
    expect(customers).toContain('<a href="/docs/api/authentication" aria-current="true">API reference</a>');
    expect(customers.match(/aria-current/g)).toHaveLength(1);

    const started = sectionNav(await html('/docs/test-mode'));
    expect(started).toContain('<a href="/docs/first-request" aria-current="true">Get started</a>');
    expect(sectionNav(await html('/login'))).not.toContain('aria-current');
  });
});

describe('the contributor pages', () => {
  it('are out of the reader sidebar and search, still served, in the sitemap and linked from the footer', async () => {
    const keys = await html('/docs/keys');
    expect(sidebar(keys)).not.toContain('/docs/writing');
    expect(sidebar(keys)).not.toContain('Contributing');
    // The last reader page used to lead on to them.
    const events = await html('/docs/api/events');
    expect(part(events, /<nav class="kw-prevnext"[^>]*>([\s\S]*?)<\/nav>/)).not.toContain('/docs/writing');
    const writing = await html('/docs/writing');
    expect(footer(writing)).toMatch(/href="\/docs\/writing"[^>]*aria-current="page"/);
    expect(await (await get('/sitemap.xml')).text()).toContain('/docs/writing</loc>');
    const index = await (await get(SEARCH_INDEX_PATH)).text();
    expect(index).toContain('/docs/keys');
    expect(index).not.toContain('/docs/writing');
  });
});

describe('stylesheets', () => {
  /** Every stylesheet a page links, concatenated. */
  async function css(path: string, jar = new CookieJar()): Promise<string> {
    const page = await html(path, jar);
    const hrefs = [...page.matchAll(/<link rel="stylesheet" href="(\/_astro\/[^"]+\.css)"/g)].map(
      (m) => m[1]!,
    );
    expect(hrefs.length, path).toBeGreaterThan(0);
    return (await Promise.all(hrefs.map(async (href) => (await get(href, new CookieJar())).text()))).join(
      '\n',
    );
  }

  it("docs pages carry the account menu's styles but not the dashboard's or the sign-in forms'", async () => {
    for (const jar of [new CookieJar(), signedIn]) {
      const docs = await css('/docs/first-request', jar);
      expect(docs).toContain('.kw-picker__menu');
      expect(docs).toContain('.kw-table');
      expect(docs).not.toContain('.kw-mode__options');
      expect(docs).not.toContain('.kw-auth__card');
    }
    expect(await css('/dashboard/logs', signedIn)).toContain('.kw-mode__options');
    expect(await css('/login')).toContain('.kw-auth__card');
  });
});
