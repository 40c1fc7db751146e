import type { Node } from 'unist';
import { visit } from 'unist-util-visit';
import type { MdxJsxFlowElement, MdxJsxTextElement } from 'mdast-util-mdx-jsx';
import type { Page } from './pages.ts';
import { startOf, type FileProblems, type Place } from './problems.ts';
import type { SitePaths } from './site-paths.ts';

/** A link as written in a page: Markdown `[text](url)`, a `[ref]: url` definition, or `<a href>`. */
interface WrittenLink {
  url: string;
  place: Place;
}

/** Any origin will do: links are resolved against it only to read their path and anchor. */
const SITE = 'https://keyway.invalid';

function writtenLinks(page: Page): WrittenLink[] {
  const links: WrittenLink[] = [];
  visit(page.tree, (node: Node) => {
    if (node.type === 'link' || node.type === 'definition') {
      links.push({ url: (node as Node & { url: string }).url, place: startOf(node.position) });
    } else if ((node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement') && isAnchor(node)) {
      const href = (node as MdxJsxFlowElement | MdxJsxTextElement).attributes.find(
        (attribute) => attribute.type === 'mdxJsxAttribute' && attribute.name === 'href',
      );
      if (typeof href?.value === 'string') links.push({ url: href.value, place: startOf(href.position) });
    }
  });
  return links;
}

function isAnchor(node: Node): boolean {
  return (node as MdxJsxFlowElement).name === 'a';
}

/** Internal: no scheme (`https:`, `mailto:`) and not protocol-relative (`//host`). */
function isInternal(url: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:/i.test(url) && !url.startsWith('//');
}

/** The docs root redirects to the first page. */
const DOCS_ROOTS = new Set(['/docs', '/docs/']);

/**
 * Checks every internal link in a page: a `/docs/…` path must be a page in the content and
 * its `#anchor` one of that page's heading ids; any other path must be a route or a file in
 * `public/`. Relative links are read as a browser would, from the page's own URL.
 * Returns how many links it checked.
 */
export function checkLinks(
  page: Page,
  pagesByHref: ReadonlyMap<string, Page>,
  site: SitePaths,
  problems: FileProblems,
): number {
  let checked = 0;
  for (const { url, place } of writtenLinks(page)) {
    if (!isInternal(url)) continue;
    checked++;
    const target = new URL(url, `${SITE}${page.href}`);
    const pathname = decoded(target.pathname);
    const anchor = decoded(target.hash.slice(1));
    if (pathname === '/docs' || pathname.startsWith('/docs/')) {
      if (DOCS_ROOTS.has(pathname)) continue;
      const href = pathname.replace(/\/$/, '');
      const linked = pagesByHref.get(href);
      if (!linked) {
        problems.add(
          place,
          `Broken link "${url}": there is no docs page ${href} (no content/docs${href.slice('/docs'.length)}.mdx).`,
        );
      } else if (anchor && !linked.headingIds.includes(anchor)) {
        const where = linked === page ? 'this page' : href;
        problems.add(
          place,
          `Broken link "${url}": ${where} has no heading with the id "${anchor}". ${idsHint(linked)}`,
        );
      }
    } else if (!site.has(pathname)) {
      problems.add(place, `Broken link "${url}": the site has no page or file at ${pathname}.`);
    }
  }
  return checked;
}

/** Percent-decoded text, as a browser matches ids and files; as written when it is malformed. */
function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function idsHint(page: Page): string {
  return page.headingIds.length === 0
    ? 'It has no headings.'
    : `Its heading ids: ${page.headingIds.join(', ')}.`;
}
