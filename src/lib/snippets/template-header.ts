/**
 * Response header a page sets to say "my HTML is a template with stand-ins, the same for
 * every reader". Whoever serves it fills the stand-ins per reader and may cache it; the
 * header never reaches a browser.
 */
export const TEMPLATE_HEADER = 'x-keyway-template';

/**
 * Request header that asks for the template itself, unfilled. Its value must equal the
 * per-process secret in `KEYWAY_TEMPLATE_SECRET`, set by src/server/main.ts, so only that
 * server can ask for it.
 */
export const TEMPLATE_REQUEST_HEADER = 'x-keyway-template-request';

export const TEMPLATE_SECRET_ENV = 'KEYWAY_TEMPLATE_SECRET';
