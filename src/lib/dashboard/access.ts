import type { AstroGlobal } from 'astro';
import { database } from '../db/index.ts';
import type { KeyMode } from '../db/schema.ts';
import { parseCookies } from '../reader/cookies.ts';
import type { SessionMember } from '../reader/reader.ts';
import { JOINED_COOKIE } from './joined-notice.ts';
import { can, type Capability } from '../teams/roles.ts';
import { dashboardMode } from './mode.ts';
import type { Scope } from './queries.ts';

/** Why a page was refused: the capability it takes, which the member's role lacks. */
export interface Denial {
  capability: Capability;
}

/** The capability a dashboard page takes, fixed or depending on the mode it shows. */
export type Need = Capability | ((mode: KeyMode) => Capability);

/** Who may see a dashboard page, decided from the request alone (no Astro, no database). */
export type AccessDecision =
  { redirect: string } | { member: SessionMember; mode: KeyMode; denied: Denial | null; status: 200 | 403 };

/**
 * Decides access to a dashboard page: an anonymous reader is sent to sign in, coming back to
 * this path and query afterwards; a member whose role lacks the capability the page takes
 * (in the mode the mode cookie picks) is denied with 403.
 */
export function decideAccess(
  member: SessionMember | null,
  cookieHeader: string | null,
  url: URL,
  need: Need,
): AccessDecision {
  if (!member) return { redirect: `/login?next=${encodeURIComponent(`${url.pathname}${url.search}`)}` };
  const mode = dashboardMode(parseCookies(cookieHeader));
  const capability = typeof need === 'function' ? need(mode) : need;
  const denied: Denial | null = can(member.role, capability) ? null : { capability };
  return { member, mode, denied, status: denied ? 403 : 200 };
}

/**
 * What a dashboard page needs first: a signed-in member (else a redirect to sign in, coming
 * back here afterwards), the mode it shows, and the database. When the member's role lacks
 * the capability the page takes (`need`, which may depend on the mode), `denied` is set and
 * the response status is 403: the page must then neither read nor change anything, and
 * shows the layout's explanation instead (DashboardLayout's `denied`).
 */
export async function dashboardAccess(Astro: AstroGlobal, need: Need) {
  const decision = decideAccess(
    Astro.locals.reader.member,
    Astro.request.headers.get('cookie'),
    Astro.url,
    need,
  );
  if ('redirect' in decision) return { redirect: Astro.redirect(decision.redirect, 303) } as const;
  const { member, mode, denied, status } = decision;
  Astro.response.status = status;
  // The layout shows "You joined …" from this request's cookie; clearing it here, before the
  // page streams, makes it a notice shown once.
  if (Astro.cookies.has(JOINED_COOKIE)) Astro.cookies.delete(JOINED_COOKIE, { path: '/' });
  const { db } = await database();
  const scope: Scope = { accountId: member.accountId, mode };
  return { member, mode, db, scope, denied } as const;
}
