import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { docsFiles, readPage } from '../../scripts/content-check/pages.ts';
import { CookieJar, distinct, get, SECRET_KEY_PATTERN } from '../support/http.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const docsDir = `${root}content/docs`;

/** The ids of the headings in a rendered page's article, in order. */
function articleHeadingIds(html: string): string[] {
  const article = html.slice(html.indexOf('<article'), html.indexOf('</article>'));
  return [...article.matchAll(/<h[2-6][^>]*\sid="([^"]+)"/g)].map((match) => match[1]!);
}

describe('/docs/writing', () => {
  it('shows each example as MDX with its tokens, and rendered with the reader’s key', async () => {
    const response = await get('/docs/writing', new CookieJar());
    expect(response.status).toBe(200);
    const html = await response.text();
    const sources = [
      ...html.matchAll(
        /<div class="kw-sample kw-example__source">([\s\S]*?)<div class="kw-example__result">/g,
      ),
    ];
    expect(sources.length).toBeGreaterThanOrEqual(10);
    const tokenExample = sources
      .map((match) => match[1]!)
      .find((source) => source.includes('List customers'))!;
    expect(tokenExample.replace(/<[^>]+>/g, '')).toContain(
      'curl {{API_BASE}}/v1/customers -u {{SECRET_KEY}}:',
    );
    expect(distinct(tokenExample, SECRET_KEY_PATTERN)).toEqual([]);
    // The same example's result, like every sample, carries the reader's one sample key.
    expect(distinct(html, SECRET_KEY_PATTERN)).toHaveLength(1);
    expect(html).not.toContain('KwStandIn');
    expect(html).toMatch(/<th scope="row"><code>params<\/code><\/th>/);
    // Out of the reader's sidebar, the page is marked as current in the footer that links it.
    expect(html).toMatch(/<footer class="kw-footer">[\s\S]*href="\/docs\/writing"[^>]*aria-current="page"/);
  });
});

describe('heading ids', () => {
  it('are the ones the content check links against, on every page', async () => {
    for (const path of await docsFiles(docsDir)) {
      const page = await readPage(root, docsDir, path);
      const html = await (await get(page.href, new CookieJar())).text();
      expect(articleHeadingIds(html), page.href).toEqual(page.headingIds);
    }
  });
});
