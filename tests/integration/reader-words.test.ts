import { describe, expect, it } from 'vitest';
import { CookieJar, get, signUpReader } from '../support/http.ts';

/** The words of a docs page that depend on who reads it, over HTTP from the real server. */
describe('docs pages speak to the reader they have', () => {
  it('tell a guest about sample keys and a member about their own keys, never the other', async () => {
    const guest = new CookieJar();
    const guestPage = await (await get('/docs/first-request', guest)).text();
    expect(guestPage).toContain(
      'You aren’t signed in, so the samples on this site show a pair of sample keys',
    );
    expect(guestPage).not.toContain('You are signed in');

    const member = new CookieJar();
    await signUpReader(member);
    const memberPage = await (await get('/docs/first-request', member)).text();
    expect(memberPage).toContain('You are signed in, so the samples on this site show your own test keys.');
    expect(memberPage).not.toMatch(/aren[’']t signed in/);
  });

  it('say once, after a guest signs up, that the samples now use their own keys', async () => {
    const jar = new CookieJar();
    await get('/docs/first-request', jar);
    await signUpReader(jar);
    // A page that is not docs leaves the notice for the docs.
    await get('/dashboard', jar);
    const first = await get('/docs/first-request', jar);
    const notice = 'The samples on these pages now use your own test keys';
    expect(await first.text()).toContain(notice);
    expect(first.headers.getSetCookie().join()).toMatch(/kw_keys_switched=;.*Max-Age=0/);
    expect(await (await get('/docs/keys', jar)).text()).not.toContain(notice);
    expect(await (await get('/docs/first-request', jar)).text()).not.toContain(notice);
  });
});
