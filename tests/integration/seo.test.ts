import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CookieJar, get } from '../support/http.ts';
import { startServer, type RunningServer } from '../support/server.ts';

const baseUrl = inject('baseUrl');

describe('what search engines and link previews read', () => {
  it('every docs page has a canonical URL and Open Graph tags at its own origin', async () => {
    const html = await (await get('/docs/keys?lang=go', new CookieJar())).text();
    expect(html).toContain(`<link rel="canonical" href="${baseUrl}/docs/keys">`);
    expect(html).toContain(`<meta property="og:url" content="${baseUrl}/docs/keys">`);
    expect(html).toMatch(/<meta property="og:title" content="API keys · Keyway">/);
    expect(html).toMatch(/<meta property="og:description" content="[^"]{20,}">/);
  });

  it('sitemap.xml lists the landing page and every docs page; robots.txt points at it', async () => {
    const sitemap = await (await get('/sitemap.xml')).text();
    for (const path of [
      '/',
      '/docs/first-request',
      '/docs/keys',
      '/docs/api/customers',
      '/docs/api/events',
    ]) {
      expect(sitemap).toContain(`<loc>${baseUrl}${path}</loc>`);
    }
    const robots = await (await get('/robots.txt')).text();
    expect(robots).toContain(`Sitemap: ${baseUrl}/sitemap.xml`);
    expect(robots).toContain('Disallow: /dashboard/');
  });

  it('has no "Edit this page" link unless a repository is configured', async () => {
    expect(await (await get('/docs/keys', new CookieJar())).text()).not.toContain('Edit this page');
  });

  describe('with EDIT_URL_BASE and PUBLIC_ORIGIN set', () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await startServer({
        EDIT_URL_BASE: 'https://git.example.com/acme/keyway/edit/main/',
        PUBLIC_ORIGIN: 'https://docs.example.com',
      });
    });
    afterAll(() => server.stop());

    it('links each page to its source and uses the public origin', async () => {
      const html = await (await fetch(`${server.baseUrl}/docs/api/customers`)).text();
      const footer = /<footer class="kw-footer">([\s\S]*?)<\/footer>/.exec(html)?.[1];
      expect(footer).toContain(
        'href="https://git.example.com/acme/keyway/edit/main/content/docs/api/customers.mdx"',
      );
      expect(html).toContain('<link rel="canonical" href="https://docs.example.com/docs/api/customers">');
      const sitemap = await (await fetch(`${server.baseUrl}/sitemap.xml`)).text();
      expect(sitemap).toContain('<loc>https://docs.example.com/docs/keys</loc>');
    });
  });
});
