import type { AstroGlobal } from 'astro';
import { database } from '../db/index.ts';
import type { KeyMode } from '../db/schema.ts';
import { parseCookies } from '../reader/cookies.ts';
import type { Member } from '../reader/reader.ts';
import { can, type Capability } from '../teams/roles.ts';
import { dashboardMode } from './mode.ts';
import type { Scope } from './queries.ts';

/** Why a page was refused: the capability it takes, which the member's role lacks. */
export interface Denial {
  capability: Capability;
}

/**
 * What a dashboard page needs first: a signed-in member (else a redirect to sign in, coming
 * back here afterwards), the mode it shows, and the database. When the member's role lacks
 * the capability the page takes (`need`, which may depend on the mode), `denied` is set and
 * the response status is 403: the page must then neither read nor change anything, and
 * shows the layout's explanation instead (DashboardLayout's `denied`).
 */
export async function dashboardAccess(
  Astro: AstroGlobal,
  need: Capability | ((mode: KeyMode) => Capability),
) {
  const { member } = Astro.locals.reader;
  if (!member) {
    const here = `${Astro.url.pathname}${Astro.url.search}`;
    return { redirect: Astro.redirect(`/login?next=${encodeURIComponent(here)}`, 303) } as const;
  }
  const mode = dashboardMode(parseCookies(Astro.request.headers.get('cookie')));
  const capability = typeof need === 'function' ? need(mode) : need;
  const denied: Denial | null = can(member.role, capability) ? null : { capability };
  if (denied) Astro.response.status = 403;
  const { db } = await database();
  const scope: Scope = { accountId: member.accountId, mode };
  return { member: member as Member, mode, db, scope, denied } as const;
}
