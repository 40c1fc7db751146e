import { createHash } from 'node:crypto';
import { SandboxError } from './errors.ts';
import { messages } from './messages.ts';

/** Where a page of search results ended: the last object's position in newest-first order. */
export interface SearchPosition {
  createdMs: number;
  id: string;
}

/** Who searched for what: a page token is only good for the same search. */
export interface SearchScope {
  accountId: string;
  mode: string;
  query: string;
}

const TOKEN = /^(\d{1,16})\.([A-Za-z0-9_]{1,64})\.([0-9a-f]{24})$/;

/**
 * A fingerprint of the search and the position, so a token that was edited, or pasted
 * into another search or another account's, is refused instead of silently skipping
 * results. It needs no secret: whatever position a token holds is only ever applied
 * inside the searcher's own account and mode.
 */
function fingerprint(position: SearchPosition, scope: SearchScope): string {
  return createHash('sha256')
    .update(JSON.stringify([scope.accountId, scope.mode, scope.query, position.createdMs, position.id]))
    .digest('hex')
    .slice(0, 24);
}

/** The opaque `next_page` value for results that continue after `position`. */
export function pageToken(position: SearchPosition, scope: SearchScope): string {
  const plain = `${position.createdMs}.${position.id}.${fingerprint(position, scope)}`;
  return Buffer.from(plain).toString('base64url');
}

/** Reads a `page` token back, or refuses it (400, param `page`) if it is not one this search made. */
export function readPageToken(token: string, scope: SearchScope): SearchPosition {
  const match = /^[A-Za-z0-9_-]+$/.test(token)
    ? TOKEN.exec(Buffer.from(token, 'base64url').toString('latin1'))
    : null;
  const position = match ? { createdMs: Number(match[1]), id: match[2]! } : undefined;
  if (!position || match![3] !== fingerprint(position, scope))
    throw new SandboxError(400, messages.searchPageInvalid, {
      code: 'parameter_invalid_string',
      param: 'page',
    });
  return position;
}
