import { editDistance } from '../command-line/suggest.ts';
import { WORD, createSearch } from './engine.ts';

/** A docs page as a "did you mean" list shows it. */
export interface PageLink {
  /** `/docs/…` */
  href: string;
  title: string;
  description: string;
}

/** How many pages a 404 suggests: a short list reads as an answer, a long one as a sitemap. */
const SUGGESTIONS = 3;

/** Long enough for any real docs path; a longer one is cut, so its comparison stays cheap. */
const LONGEST_PATH = 120;

/**
 * The docs pages a missing path most likely meant: first those whose path is a typo away
 * (`/docs/firts-request`), then those the path's words find through the docs search's own
 * engine (`/docs/customer-api` finds the customers reference), best first.
 */
export function pagesNear(missingPath: string, pages: readonly PageLink[]): PageLink[] {
  const wanted = docsSlug(missingPath);
  if (!wanted) return [];
  // The same tolerance as the shell's "did you mean": about one edit in four characters.
  const tolerance = Math.max(2, Math.floor(wanted.length / 4));
  const byPath = pages
    .map((page) => ({ page, distance: editDistance(wanted, docsSlug(page.href)) }))
    .filter(({ distance }) => distance <= tolerance)
    .sort((a, b) => a.distance - b.distance)
    .map(({ page }) => page);
  const search = createSearch(
    pages.map((page) => ({
      url: page.href,
      page: page.title,
      heading: page.title,
      text: page.description,
      api: '',
    })),
  );
  const byHref = new Map(pages.map((page) => [page.href, page]));
  const byWords = search(wanted.match(WORD)?.join(' ') ?? '').map(({ section }) => byHref.get(section.url)!);
  return [...new Set([...byPath, ...byWords])].slice(0, SUGGESTIONS);
}

/** `api/customers` for `/docs/api/customers/`: the part of a path that names a docs page. */
function docsSlug(path: string): string {
  return path
    .slice(0, LONGEST_PATH)
    .toLowerCase()
    .replace(/^\/(?:docs\/?)?|\/+$/g, '');
}
