import type { AstroGlobal } from 'astro';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { dashboardAccess } from '../../src/lib/dashboard/access.ts';
import { closeDatabase, database } from '../../src/lib/db/index.ts';
import type { SessionMember } from '../../src/lib/reader/reader.ts';
import { keysCapability } from '../../src/lib/teams/roles.ts';
import { SQLITE, type ScratchDatabase } from '../support/databases.ts';
import { memberAs } from '../support/members.ts';

/**
 * The Astro side of a dashboard page's guard, given the parts of Astro's global it uses: it
 * redirects with 303, sets the 403 on the page's response, and hands the page the process's
 * database and the member's scope. The decision itself is tested in tests/unit.
 */
let scratch: ScratchDatabase;
beforeAll(async () => {
  scratch = await SQLITE.create();
  vi.stubEnv('DATABASE_URL', scratch.url);
});
afterAll(async () => {
  await closeDatabase();
  vi.unstubAllEnvs();
  await scratch.drop();
});

/** The parts of Astro's global dashboardAccess reads and writes. */
function astro(reader: SessionMember | null, path: string, cookie?: string) {
  const url = new URL(`https://docs.example.com${path}`);
  return {
    locals: { reader: { member: reader } },
    url,
    request: new Request(url, { headers: cookie ? { cookie } : {} }),
    cookies: {
      has: (name: string) => (cookie ?? '').split('; ').some((pair) => pair.startsWith(`${name}=`)),
      delete: () => {},
    },
    response: { status: 200 },
    redirect: (location: string, status: number) => new Response(null, { status, headers: { location } }),
  };
}

it('sends an anonymous reader to sign in with a 303, leaving the response alone', async () => {
  const page = astro(null, '/dashboard/logs?status=4xx');
  const access = await dashboardAccess(page as unknown as AstroGlobal, 'data');
  const redirect = 'redirect' in access ? access.redirect : undefined;
  if (!redirect) throw new Error('expected a redirect');
  expect(redirect.status).toBe(303);
  expect(redirect.headers.get('location')).toBe('/login?next=%2Fdashboard%2Flogs%3Fstatus%3D4xx');
  expect(page.response.status).toBe(200);
});

it("gives a member the mode, the process's database and their account's scope", async () => {
  const page = astro(memberAs('developer'), '/dashboard/apikeys');
  const access = await dashboardAccess(page as unknown as AstroGlobal, keysCapability);
  if ('redirect' in access) throw new Error('expected access');
  expect(page.response.status).toBe(200);
  expect(access).toMatchObject({ member: memberAs('developer'), mode: 'test', denied: null });
  expect(access.scope).toEqual({ accountId: 'acct_1', mode: 'test' });
  expect(access.db).toBe((await database()).db);
});

it("sets 403 on the page's response when the role lacks the capability in the mode shown", async () => {
  const page = astro(memberAs('developer'), '/dashboard/apikeys', 'kw_mode=live');
  const access = await dashboardAccess(page as unknown as AstroGlobal, keysCapability);
  if ('redirect' in access) throw new Error('expected access');
  expect(page.response.status).toBe(403);
  expect(access.denied).toEqual({ capability: 'keys:live' });
  expect(access.scope).toEqual({ accountId: 'acct_1', mode: 'live' });
});
