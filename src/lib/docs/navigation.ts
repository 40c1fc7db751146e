import { SIDEBAR_GROUPS, type DocsFrontmatter } from './frontmatter.ts';

/** A docs page as the sidebar and previous/next links need it. */
export interface NavPage {
  href: string;
  label: string;
  title: string;
}

export interface NavGroup {
  label: string;
  pages: NavPage[];
}

type DocsEntry = { id: string; data: DocsFrontmatter };

/**
 * Groups written for the people who write the docs, not for readers: their pages are left out
 * of the reader's sidebar, previous/next and search, and are linked from the footer instead.
 */
export const CONTRIBUTOR_GROUPS: ReadonlySet<string> = new Set(['Contributing']);

/** Whether a page is for readers (not one of the contributor pages). */
export function isReaderPage(entry: DocsEntry): boolean {
  return !CONTRIBUTOR_GROUPS.has(entry.data.sidebar.group);
}

/** The reader's sidebar: groups in their fixed order, pages by `sidebar.order`, then title. */
export function buildSidebar(entries: ReadonlyArray<DocsEntry>): NavGroup[] {
  return SIDEBAR_GROUPS.filter((label) => !CONTRIBUTOR_GROUPS.has(label))
    .map((label) => ({
      label,
      pages: entries
        .filter((entry) => entry.data.sidebar.group === label)
        .sort(
          (a, b) => a.data.sidebar.order - b.data.sidebar.order || a.data.title.localeCompare(b.data.title),
        )
        .map((entry) => ({
          href: docsHref(entry.id),
          label: entry.data.sidebar.label ?? entry.data.title,
          title: entry.data.title,
        })),
    }))
    .filter((group) => group.pages.length > 0);
}

/** A header link: a sidebar group, leading to its first page. */
export interface SectionLink {
  label: string;
  href: string;
  /** `page` on the group's first page, `true` elsewhere in the group (aria-current values). */
  current: 'page' | 'true' | undefined;
}

/**
 * The header's section links, one per sidebar group, so each says where it goes ("Guides"
 * opens the Guides group) and is marked while the reader is anywhere in its group.
 */
export function sectionLinks(sidebar: NavGroup[], path: string): SectionLink[] {
  return sidebar.map((group) => {
    const href = group.pages[0]!.href;
    const inGroup = group.pages.some((page) => page.href === path);
    return { label: group.label, href, current: href === path ? 'page' : inGroup ? 'true' : undefined };
  });
}

/** The pages before and after `href` in sidebar order. */
export function neighbours(sidebar: NavGroup[], href: string): { previous?: NavPage; next?: NavPage } {
  const pages = sidebar.flatMap((group) => group.pages);
  const index = pages.findIndex((page) => page.href === href);
  if (index < 0) return {};
  return { previous: pages[index - 1], next: pages[index + 1] };
}

/** `/docs/<id>` for a collection entry id such as `api/customers`. */
export function docsHref(id: string): string {
  return `/docs/${id}`;
}
