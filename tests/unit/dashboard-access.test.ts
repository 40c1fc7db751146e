import { describe, expect, it } from 'vitest';
import { decideAccess } from '../../src/lib/dashboard/access.ts';
import { keysCapability } from '../../src/lib/teams/roles.ts';
import { memberAs } from '../support/members.ts';

/**
 * Who may open a dashboard page, decided from the member, the Cookie header and the URL
 * alone: the part of every dashboard page's guard that needs neither Astro nor a database.
 */
const url = (path: string) => new URL(`https://docs.example.com${path}`);

describe('dashboard access', () => {
  it('sends an anonymous reader to sign in, coming back to the path and query, encoded', () => {
    expect(decideAccess(null, null, url('/dashboard/logs?status=4xx&q=a b'), 'data')).toEqual({
      redirect: '/login?next=%2Fdashboard%2Flogs%3Fstatus%3D4xx%26q%3Da%2520b',
    });
    expect(decideAccess(null, 'kw_mode=live', url('/dashboard/apikeys'), keysCapability)).toEqual({
      redirect: '/login?next=%2Fdashboard%2Fapikeys',
    });
  });

  it('lets a member whose role has the capability in, in test mode unless the cookie says live', () => {
    const developer = memberAs('developer');
    expect(decideAccess(developer, null, url('/dashboard/events'), 'data')).toEqual({
      member: developer,
      mode: 'test',
      denied: null,
      status: 200,
    });
    expect(decideAccess(developer, 'kw_mode=live', url('/dashboard/events'), 'data')).toMatchObject({
      mode: 'live',
      denied: null,
      status: 200,
    });
    expect(decideAccess(developer, 'kw_mode=other', url('/dashboard/events'), 'data')).toMatchObject({
      mode: 'test',
    });
  });

  it('denies a role that lacks the capability with 403, naming the capability', () => {
    expect(decideAccess(memberAs('viewer'), null, url('/dashboard/members'), 'members')).toEqual({
      member: memberAs('viewer'),
      mode: 'test',
      denied: { capability: 'members' },
      status: 403,
    });
  });

  it('asks a capability that depends on the mode for the mode the cookie picks', () => {
    const developer = memberAs('developer');
    expect(decideAccess(developer, null, url('/dashboard/apikeys'), keysCapability)).toMatchObject({
      denied: null,
      status: 200,
    });
    expect(decideAccess(developer, 'kw_mode=live', url('/dashboard/apikeys'), keysCapability)).toMatchObject({
      mode: 'live',
      denied: { capability: 'keys:live' },
      status: 403,
    });
    expect(
      decideAccess(memberAs('admin'), 'kw_mode=live', url('/dashboard/apikeys'), keysCapability),
    ).toMatchObject({
      denied: null,
      status: 200,
    });
  });
});
