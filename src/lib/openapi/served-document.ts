import { createHash } from 'node:crypto';
import { openApiDocument } from '../../spec/openapi.ts';

/** A rendered `/openapi.json`: its text and the ETag that names it. */
export interface ServedDocument {
  body: string;
  etag: string;
}

/**
 * How many origins' documents are kept. One, unless the site answers to several hosts;
 * without PUBLIC_ORIGIN each Host header names an origin, so a client sending many Hosts
 * must not grow this without end.
 */
export const MAX_RENDERED_ORIGINS = 8;

const rendered = new Map<string, ServedDocument>();

/** The document whose server is `origin`, rendered once and kept among the latest few. */
export function servedDocument(origin: string): ServedDocument {
  let entry = rendered.get(origin);
  if (!entry) {
    const body = JSON.stringify(openApiDocument(origin), null, 2);
    entry = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
    if (rendered.size >= MAX_RENDERED_ORIGINS) rendered.delete(rendered.keys().next().value!);
    rendered.set(origin, entry);
  }
  return entry;
}

/** How many documents are kept now: never more than MAX_RENDERED_ORIGINS. */
export function renderedOrigins(): number {
  return rendered.size;
}
