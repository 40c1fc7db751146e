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

/** The sidebar: groups in their fixed order, pages by `sidebar.order`, then title. */
export function buildSidebar(entries: ReadonlyArray<{ id: string; data: DocsFrontmatter }>): NavGroup[] {
  return SIDEBAR_GROUPS.map((label) => ({
    label,
    pages: entries
      .filter((entry) => entry.data.sidebar.group === label)
      .sort((a, b) => a.data.sidebar.order - b.data.sidebar.order || a.data.title.localeCompare(b.data.title))
      .map((entry) => ({
        href: docsHref(entry.id),
        label: entry.data.sidebar.label ?? entry.data.title,
        title: entry.data.title,
      })),
  })).filter((group) => group.pages.length > 0);
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
