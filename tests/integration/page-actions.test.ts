import { describe, expect, inject, it } from 'vitest';
import { CookieJar, get, signUpReader } from '../support/http.ts';
import { sitemapPaths } from '../support/site-pages.ts';

const baseUrl = inject('baseUrl');

/** Any issued key: a prefix and a 24-character body. */
const KEY_SHAPED = /(?:sk|pk|rk)_(?:test|live)_[0-9A-Za-z]{24}/;

/** The "Page actions" menu of a page's HTML, or an empty string. */
function menuOf(html: string): string {
  return /<details\b[^>]*\bdata-kw-page-actions[\s\S]*?<\/details>/.exec(html)?.[0] ?? '';
}

/** The menu's links, by their visible label (the text before any mark or hidden note). */
function linksOf(menu: string): Map<string, string> {
  const links = new Map<string, string>();
  for (const match of menu.matchAll(/<a\b[^>]*\bhref="([^"]+)"[^>]*>\s*([^<]+?)\s*</g)) {
    links.set(match[2]!, match[1]!.replaceAll('&amp;', '&'));
  }
  return links;
}

describe('page actions on every docs page', () => {
  it('gives each docs page in the sitemap with a Markdown version a menu pointing at its own .md', async () => {
    const jar = new CookieJar();
    await signUpReader(jar);
    const pages = (await sitemapPaths()).filter((path) => path.startsWith('/docs/'));
    const withMarkdown: string[] = [];
    for (const path of pages) {
      const menu = menuOf(await (await get(path, jar)).text());
      const markdown = await get(`${path}.md`, jar);
      if (markdown.status === 404) {
        // A contributor page has no Markdown, so no menu offers a link to it.
        expect(menu, path).toBe('');
        continue;
      }
      withMarkdown.push(path);
      expect(markdown.status, `${path}.md`).toBe(200);
      expect(markdown.headers.get('content-type'), `${path}.md`).toMatch(/^text\/markdown/);
      expect(menu, `${path} has no page actions`).not.toBe('');
      const markdownUrl = `${baseUrl}${path}.md`;
      const links = linksOf(menu);
      expect(links.get('View as Markdown'), path).toBe(`${path}.md`);
      expect(menu, path).toContain(`data-kw-page-copy="${path}.md"`);
      expect(links.get('Connect an assistant (MCP)'), path).toBe('/docs/ai-assistants');
      for (const [label, origin] of [
        ['Open in ChatGPT', 'https://chatgpt.com/'],
        ['Open in Claude', 'https://claude.ai/new'],
      ] as const) {
        const href = links.get(label);
        expect(href, `${path}: ${label}`).toBeDefined();
        const url = new URL(href!);
        expect(`${url.origin}${url.pathname}`).toBe(origin);
        expect(url.searchParams.get('q'), `${path}: ${label}`).toContain(markdownUrl);
        // The reader is signed in, yet the prompt names only the public URL: no key leaves the site.
        expect(href, `${path}: ${label}`).not.toMatch(KEY_SHAPED);
      }
    }
    // The guides and the generated reference pages alike.
    expect(withMarkdown).toEqual(expect.arrayContaining(['/docs/first-request', '/docs/api/customers']));
    expect(withMarkdown.length).toBeGreaterThan(pages.length / 2);
  });

  it('opens external links in a new tab that says so, without an opener or a referrer', async () => {
    const menu = menuOf(await (await get('/docs/first-request')).text());
    const external = [...menu.matchAll(/<a\b[^>]*\bhref="https:[^"]*"[^>]*>[\s\S]*?<\/a>/g)].map((m) => m[0]);
    expect(external).toHaveLength(2);
    for (const link of external) {
      expect(link).toContain('target="_blank"');
      expect(link).toContain('rel="noopener noreferrer"');
      expect(link).toContain('(opens in a new tab)');
    }
  });

  it('hides Copy, which needs a script, in the page as served', async () => {
    const menu = menuOf(await (await get('/docs/keys')).text());
    expect(menu).toMatch(/<li hidden[^>]*data-kw-page-copy-item/);
  });
});
