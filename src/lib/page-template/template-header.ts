/**
 * Response header a page sets to say "my HTML, stand-ins and all, is the same for every
 * reader", so the production server may cache it and fill it per reader. Its value is the
 * page's own path: the server keeps the page only under that path, never under another
 * spelling that happened to render it. Only pages with this header have stand-ins (pages
 * rendered per request show the reader's values as they render). It never reaches a browser.
 */
export const TEMPLATE_HEADER = 'x-keyway-template';

/**
 * Request header that asks for the template itself, unfilled. Its value must equal the
 * per-process secret in `KEYWAY_TEMPLATE_SECRET`, set by src/server/main.ts, so only that
 * server can ask for it.
 */
export const TEMPLATE_REQUEST_HEADER = 'x-keyway-template-request';

export const TEMPLATE_SECRET_ENV = 'KEYWAY_TEMPLATE_SECRET';

/**
 * Whether the page being rendered is a template: it set TEMPLATE_HEADER (pages do so before
 * their layout renders). Layouts emit stand-ins only there; every other page shows the
 * reader's own values, so user data on it is never taken for a stand-in.
 */
export function isTemplatePage(response: { headers: Headers }): boolean {
  return response.headers.has(TEMPLATE_HEADER);
}
