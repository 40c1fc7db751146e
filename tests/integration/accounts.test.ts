import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import {
  CookieJar,
  distinct,
  get,
  postForm,
  PUBLISHABLE_KEY_PATTERN,
  SECRET_KEY_PATTERN,
  signUpReader,
} from '../support/http.ts';
import { joinAs } from '../support/teams.ts';

const baseUrl = inject('baseUrl');
const LIVE_KEY = /(sk|pk|rk)_live_[0-9A-Za-z]{24}/;

/** The test secret key a page shows (one distinct key expected). */
async function shownSecretKey(path: string, jar: CookieJar): Promise<string> {
  const html = await (await get(path, jar)).text();
  const keys = distinct(html, SECRET_KEY_PATTERN);
  expect(keys, path).toHaveLength(1);
  return keys[0]!;
}

/** The test secret key the dashboard reveals for the reader. */
async function dashboardSecretKey(jar: CookieJar): Promise<string> {
  const html = await (await get('/dashboard/apikeys', jar)).text();
  return distinct(html, SECRET_KEY_PATTERN)[0]!;
}

describe('signing up and in', () => {
  it('signs up, shows the account keys in the docs, signs out, and signs back in', async () => {
    const jar = new CookieJar();
    const sample = await shownSecretKey('/docs/first-request', jar);
    const email = await signUpReader(jar);
    const session = jar.cookies.get('kw_session');
    expect(session).toMatch(/^[a-z2-7]{24}\.[a-z2-7]{24}$/);

    const own = await shownSecretKey('/docs/first-request', jar);
    expect(own).not.toBe(sample);
    expect(await dashboardSecretKey(jar)).toBe(own);
    const page = await (await get('/docs/keys', jar)).text();
    expect(page).toContain('data-key-source="account"');
    expect(page).toContain('action="/logout"');
    expect(page).not.toMatch(LIVE_KEY);

    const out = await postForm('/logout', {}, jar);
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/');
    expect(jar.cookies.get('kw_session')).toBe('');
    // The sample pair of the visit comes back.
    expect(await shownSecretKey('/docs/first-request', jar)).toBe(sample);
    // The old session cookie is worthless now, even replayed.
    const replay = new CookieJar();
    replay.cookies.set('kw_session', session!);
    expect(await shownSecretKey('/docs/first-request', replay)).not.toBe(own);

    const back = await postForm(
      '/login',
      { email: email.toUpperCase(), password: 'correct horse battery' },
      jar,
    );
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe('/dashboard/apikeys');
    expect(await shownSecretKey('/docs/api/customers', jar)).toBe(own);
  });

  it('sets the session cookie HttpOnly, SameSite=Lax, Path=/ for 30 days', async () => {
    const response = await postForm('/signup', {
      email: `cookie.${Date.now()}@example.com`,
      password: 'correct horse battery',
    });
    const cookie = response.headers.getSetCookie().find((line) => line.startsWith('kw_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).toMatch(/Max-Age=2592000/);
  });

  it('shows form errors next to their fields and keeps what was typed', async () => {
    const response = await postForm('/signup', { email: 'jane@', password: 'short' });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('id="field-email-error"');
    expect(html).toContain('Enter an email address like jenny.rosen@example.com.');
    expect(html).toContain('id="field-password-error"');
    expect(html).toContain('Use at least 8 characters.');
    expect(html).toMatch(/aria-describedby="field-email-error"/);
    expect(html).toContain('value="jane@"');
  });

  it("shows a field's error in place of its hint, so the rule is said once", async () => {
    const hinted = await (await get('/signup')).text();
    expect(hinted).toContain('id="field-password-hint"');
    expect(hinted).toMatch(/aria-describedby="field-password-hint"/);
    const response = await postForm('/signup', {
      email: `hint.${Date.now()}@example.com`,
      password: 'short',
    });
    const html = await response.text();
    expect(html).toContain('Use at least 8 characters.');
    expect(html).not.toContain('id="field-password-hint"');
    expect(html).not.toContain('At least 8 characters.');
    expect(html).toMatch(/aria-describedby="field-password-error"/);
  });

  it('answers sign-up for a taken address without a session, and without saying it is taken', async () => {
    const owner = new CookieJar();
    const email = await signUpReader(owner);
    const jar = new CookieJar();
    const response = await postForm('/signup', { email, password: 'another fine phrase' }, jar);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<h1 class="kw-auth__title">Check your email</h1>');
    expect(html).toContain('sign in to it');
    expect(html).not.toMatch(/already exists/i);
    expect(jar.cookies.has('kw_session')).toBe(false);
    // The owner's password still works; the one just typed does not.
    expect((await postForm('/login', { email, password: 'another fine phrase' })).status).toBe(400);
    expect((await postForm('/login', { email, password: 'correct horse battery' })).status).toBe(303);
  });

  it('does not say which of email or password was wrong', async () => {
    const jar = new CookieJar();
    const email = await signUpReader(jar);
    const wrongPassword = await (await postForm('/login', { email, password: 'not the password' })).text();
    const unknownEmail = await (
      await postForm('/login', { email: `nobody.${Date.now()}@example.com`, password: 'not the password' })
    ).text();
    const message = 'The email or password is not right. Check both and try again.';
    expect(wrongPassword).toContain(message);
    expect(unknownEmail).toContain(message);
  });

  it('replaces a planted session cookie at sign-in (session fixation)', async () => {
    // The attacker's own valid session, planted in the victim's browser.
    const attacker = new CookieJar();
    await signUpReader(attacker);
    const planted = attacker.cookies.get('kw_session')!;
    const victim = new CookieJar();
    const victimEmail = await signUpReader(new CookieJar());
    victim.cookies.set('kw_session', planted);
    const response = await postForm(
      '/login',
      { email: victimEmail, password: 'correct horse battery' },
      victim,
    );
    expect(response.status).toBe(303);
    expect(victim.cookies.get('kw_session')).not.toBe(planted);
    // The planted session was ended, so it gives the attacker nothing either.
    const stale = new CookieJar();
    stale.cookies.set('kw_session', planted);
    expect(await (await get('/docs/keys', stale)).text()).toContain('data-key-source="sample"');
  });

  it('throttles repeated failures with a message that gives the wait', async () => {
    const jar = new CookieJar();
    const email = await signUpReader(jar);
    for (let i = 0; i < 6; i++) await postForm('/login', { email, password: `wrong ${i}` });
    const response = await postForm('/login', { email, password: 'correct horse battery' });
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await response.text()).toMatch(/Too many sign-in attempts\. Try again in \d+ seconds?\./);
  });
});

describe('going back after a form', () => {
  // é is Latin-1 but not ASCII, 😀 is outside the BMP, 中 is outside Latin-1.
  const next = '/docs/café?q=😀&r=中';
  const encoded = '/docs/caf%C3%A9?q=%F0%9F%98%80&r=%E4%B8%AD';

  it('percent-encodes a next path outside ASCII in the mode switch Location', async () => {
    const response = await postForm('/dashboard/mode', { mode: 'live', next });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(encoded);
  });

  it('percent-encodes a next path outside ASCII in the account picker Location', async () => {
    const owner = new CookieJar();
    await signUpReader(owner);
    // A member of two accounts has the picker.
    const { jar } = await joinAs(owner, 'developer');
    const page = await (await get('/docs/first-request', jar)).text();
    const account = /name="account" value="(acct_[0-9A-Za-z]+)"/.exec(page)![1]!;
    const response = await postForm('/account/switch', { account, next }, jar);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(encoded);
  });
});

describe('what readers type', () => {
  it('is shown as text: an HTML-like email stays escaped in every page', async () => {
    const jar = new CookieJar();
    const email = `"><img/src=x/onerror=alert(1)>.${Date.now()}@example.com`;
    const response = await postForm('/signup', { email, password: 'correct horse battery' }, jar);
    expect(response.status).toBe(303);
    for (const path of ['/docs/keys', '/dashboard/apikeys', '/logout']) {
      const html = await (await get(path, jar)).text();
      expect(html, path).not.toContain('<img/src=x');
      expect(html, path).toContain('&quot;&gt;&lt;img/src=x/onerror=alert(1)&gt;');
    }
  });
});

describe('cross-site form posts', () => {
  it.each([
    ['another Origin', { origin: 'https://evil.example' }],
    ['a cross-site fetch', { 'sec-fetch-site': 'cross-site', origin: baseUrl }],
    ['no Origin at all', {} as Record<string, string>],
  ])('are refused with %s', async (_case, headers) => {
    const response = await postForm(
      '/login',
      { email: 'a@example.com', password: 'whatever it is' },
      undefined,
      headers,
    );
    expect(response.status).toBe(403);
  });

  it('are refused on the dashboard too', async () => {
    const jar = new CookieJar();
    await signUpReader(jar);
    const response = await postForm(
      '/dashboard/apikeys',
      { intent: 'create-restricted', name: 'x', permission_customers: 'read', permission_events: 'none' },
      jar,
      { origin: 'https://evil.example' },
    );
    expect(response.status).toBe(403);
  });

  it('are not how the sandbox API is judged: /v1 has no origin check', async () => {
    // A valid key, so the request gets past authentication: an origin check anywhere on the
    // way, before or after it, would refuse this.
    const jar = new CookieJar();
    await signUpReader(jar);
    const secretKey = await shownSecretKey('/docs/first-request', jar);
    const response = await postForm('/v1/customers', { email: 'a@example.com' }, undefined, {
      origin: 'https://evil.example',
      authorization: `Bearer ${secretKey}`,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ object: 'customer', email: 'a@example.com' });
  });
});

describe('API keys on the dashboard', () => {
  it('roll the test secret key: the next docs page shows the new one', async () => {
    const jar = new CookieJar();
    await signUpReader(jar);
    const before = await shownSecretKey('/docs/first-request', jar);
    const dashboard = await (await get('/dashboard/apikeys', jar)).text();
    const secretRow = dashboard.match(
      /<tr data-key-id="(key_[0-9A-Za-z]+)">\s*<th scope="row">\s*Secret key/,
    );
    const keyId = secretRow?.[1] ?? dashboard.match(/data-key-id="(key_[0-9A-Za-z]+)"[^]*?Secret key/)![1]!;
    const rolled = await postForm(
      '/dashboard/apikeys',
      { intent: 'roll', key_id: keyId, expires: '1h' },
      jar,
    );
    expect(rolled.status).toBe(200);
    const html = await rolled.text();
    expect(html).toContain('Key rolled. The old key works for 1 more hour.');
    const after = await shownSecretKey('/docs/first-request', jar);
    expect(after).not.toBe(before);
    // The old key is listed with when it stops.
    const listing = await (await get('/dashboard/apikeys', jar)).text();
    expect(listing).toMatch(/Expires <time datetime="[^"]+" title="[^"]+">in 1 hour<\/time>/);
  });

  it('create a restricted key shown once, with its name escaped', async () => {
    const jar = new CookieJar();
    await signUpReader(jar);
    const name = `<img src=x onerror="alert(1)"> '); drop table api_keys;--`;
    const response = await postForm(
      '/dashboard/apikeys',
      { intent: 'create-restricted', name, permission_customers: 'write', permission_events: 'read' },
      jar,
    );
    const html = await response.text();
    const key = html.match(/rk_test_[0-9A-Za-z]{24}/)?.[0];
    expect(key).toBeDefined();
    expect(html).toContain('This is the only time it is shown');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
    const later = await (await get('/dashboard/apikeys', jar)).text();
    expect(later).not.toContain(key!);
    expect(later).toContain(`rk_test_…${key!.slice(-4)}`);
    expect(later).toContain('Customers: Write, Events: Read');
  });

  it('refuse a restricted key without a name or any permission, saying why', async () => {
    const jar = new CookieJar();
    await signUpReader(jar);
    const response = await postForm(
      '/dashboard/apikeys',
      { intent: 'create-restricted', name: '', permission_customers: 'none', permission_events: 'none' },
      jar,
    );
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('Give the key a name');
    expect(html).toContain('A key without any permission could do nothing');
  });

  it('show live keys masked, never in the docs', async () => {
    const jar = new CookieJar();
    await signUpReader(jar);
    const mode = await postForm('/dashboard/mode', { mode: 'live', next: '/dashboard/apikeys' }, jar);
    expect(mode.status).toBe(303);
    const live = await (await get('/dashboard/apikeys', jar)).text();
    expect(live).toMatch(/sk_live_…[0-9A-Za-z]{4}/);
    expect(live).not.toMatch(/sk_live_[0-9A-Za-z]{24}/);
    expect(live).toMatch(/pk_live_[0-9A-Za-z]{24}/);
    expect(await (await get('/docs/keys', jar)).text()).not.toMatch(LIVE_KEY);
  });

  it('send anonymous readers to sign in', async () => {
    const response = await get('/dashboard/apikeys', new CookieJar());
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/login?next=%2Fdashboard%2Fapikeys');
  });
});

describe('isolation between accounts', () => {
  it('shows each of 20 accounts only its own keys, and anonymous readers none of them', async () => {
    const readers: Array<{ jar: CookieJar; secret: string; publishable: string }> = [];
    for (let i = 0; i < 20; i++) {
      const jar = new CookieJar();
      await signUpReader(jar);
      const html = await (await get('/docs/first-request', jar)).text();
      readers.push({
        jar,
        secret: distinct(html, SECRET_KEY_PATTERN)[0]!,
        publishable: distinct(html, PUBLISHABLE_KEY_PATTERN)[0]!,
      });
    }
    const everyKey = readers.flatMap((reader) => [reader.secret, reader.publishable]);
    expect(new Set(everyKey).size).toBe(40);
    for (const reader of readers) {
      for (const path of ['/docs/first-request', '/docs/api/customers', '/dashboard/apikeys']) {
        const response = await get(path, reader.jar);
        expect(response.headers.get('cache-control'), path).toBe('private, no-store');
        expect(response.headers.get('vary'), path).toMatch(/Cookie/);
        const html = await response.text();
        expect(html, path).toContain(reader.secret);
        if (path !== '/docs/api/customers') expect(html, path).toContain(reader.publishable);
        for (const key of everyKey) {
          if (key !== reader.secret && key !== reader.publishable) expect(html, path).not.toContain(key);
        }
      }
    }
    const anonymous = await (await get('/docs/first-request', new CookieJar())).text();
    for (const key of everyKey) expect(anonymous).not.toContain(key);
  });
});
