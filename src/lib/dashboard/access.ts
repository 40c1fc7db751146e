import type { AstroGlobal } from 'astro';
import { database } from '../db/index.ts';
import { parseCookies } from '../reader/cookies.ts';
import type { Reader } from '../reader/reader.ts';
import { dashboardMode } from './mode.ts';
import type { Scope } from './queries.ts';

export type SignedInReader = Extract<Reader, { keySource: 'account' }>;

/**
 * What a dashboard page needs first: a signed-in reader (else a redirect to sign in, coming
 * back here afterwards), the mode it shows, and the database.
 */
export async function dashboardAccess(Astro: AstroGlobal) {
  const { reader } = Astro.locals;
  if (reader.keySource !== 'account') {
    const here = `${Astro.url.pathname}${Astro.url.search}`;
    return { redirect: Astro.redirect(`/login?next=${encodeURIComponent(here)}`, 303) } as const;
  }
  const mode = dashboardMode(parseCookies(Astro.request.headers.get('cookie')));
  const { db } = await database();
  const scope: Scope = { accountId: reader.accountId, mode };
  return { reader: reader as SignedInReader, mode, db, scope } as const;
}
