import { escapeHtml } from '../html.ts';
import type { Reader } from './reader.ts';

/**
 * The header's account links, filled into every page per reader (pages are cached as
 * templates, so the header cannot know who is reading). Sign-out is a form POST, so it
 * works without scripts and a link elsewhere cannot sign anyone out.
 */
export function accountMenuHtml(reader: Reader, currentPath: string): string {
  if (reader.keySource === 'account') {
    return (
      `<a class="kw-header__link" href="/dashboard/apikeys" title="${escapeHtml(reader.email)}">Dashboard</a>` +
      `<form class="kw-header__signout" method="post" action="/logout">` +
      `<button type="submit" class="kw-button kw-button--small kw-button--quiet">Sign out</button></form>`
    );
  }
  const next =
    currentPath.startsWith('/docs') || currentPath === '/' ? `?next=${encodeURIComponent(currentPath)}` : '';
  return (
    `<a class="kw-header__link" href="/login${escapeHtml(next)}">Sign in</a>` +
    `<a class="kw-button kw-button--small" href="/signup${escapeHtml(next)}">Sign up</a>`
  );
}
