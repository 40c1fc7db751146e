/**
 * Response header a page sets to say "my HTML, stand-ins and all, is the same for every
 * reader", so the production server may cache it and fill it per reader. Every page has
 * stand-ins; only pages with this header are cached. It never reaches a browser.
 */
export const TEMPLATE_HEADER = 'x-keyway-template';

/**
 * Request header that asks for the template itself, unfilled. Its value must equal the
 * per-process secret in `KEYWAY_TEMPLATE_SECRET`, set by src/server/main.ts, so only that
 * server can ask for it.
 */
export const TEMPLATE_REQUEST_HEADER = 'x-keyway-template-request';

export const TEMPLATE_SECRET_ENV = 'KEYWAY_TEMPLATE_SECRET';
