import { beforeAll, describe, expect, inject, it } from 'vitest';
import { CookieJar, get, SECRET_KEY_PATTERN, signUpReader } from '../support/http.ts';

const baseUrl = inject('baseUrl');

/** Names shaped like stand-ins: were they filled, they would show a key, a URL or markup. */
const NAMES = [
  'sk_test_KwStandInSecret000000000',
  'pk_test_KwStandInPublish00000000',
  'KwStandInAccountMenu',
  'KwStandInKeyBanner',
  'KwStandInKeyNote',
  'KwStandInKeySource',
  'KwStandInApiBase',
  'cus_KwStandInCust0',
  'a KwStandInAccountMenu b',
];

/** How Astro escapes text and attribute values (the names above need none). */
const escaped = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('"', '&quot;');

/** Secret keys on a page, other than the name that looks like one. */
const secretKeys = (html: string) =>
  (html.match(SECRET_KEY_PATTERN) ?? []).filter((found) => found !== 'sk_test_KwStandInSecret000000000');

/** The header's account links: one "Sign out" form for a signed-in reader. */
const signOutForms = (html: string) => html.split('class="kw-header__signout"').length - 1;

describe('user data shaped like a stand-in', () => {
  const jar = new CookieJar();
  let key: string;
  const customers = new Map<string, string>();

  beforeAll(async () => {
    await signUpReader(jar);
    key = (await (await get('/dashboard/apikeys', jar)).text()).match(SECRET_KEY_PATTERN)![0];
    for (const name of NAMES) {
      const response = await fetch(`${baseUrl}/v1/customers`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ name, email: `${name.replaceAll(' ', '')}@example.com` }).toString(),
      });
      customers.set(name, ((await response.json()) as { id: string }).id);
    }
  });

  it("is shown as written on a customer's page, in its title and og:title too", async () => {
    for (const [name, id] of customers) {
      const html = await (await get(`/dashboard/customers/${id}`, jar)).text();
      expect(html, name).toContain(`<title>${escaped(name)} · Keyway</title>`);
      expect(html, name).toContain(`<meta property="og:title" content="${escaped(name)} · Keyway">`);
      expect(html, name).not.toContain(key);
      expect(secretKeys(html), name).toEqual([]);
      expect(signOutForms(html), name).toBe(1);
      // The page's own reader-specific places show the reader's values, not stand-ins.
      expect(html).toContain('data-key-source="account"');
      expect(html).toContain(`<link rel="canonical" href="${baseUrl}/dashboard/customers/${id}">`);
      expect(html.match(/<header class="kw-header">[\s\S]*?<\/header>/)![0]).not.toContain('KwStandIn');
    }
  });

  it('is shown as written in the customer list, and in a search that echoes it', async () => {
    const list = await (await get('/dashboard/customers', jar)).text();
    for (const name of NAMES) expect(list, name).toContain(`>${escaped(name)}</a>`);
    expect(list).not.toContain(key);
    expect(signOutForms(list)).toBe(1);
    for (const name of NAMES) {
      const search = await (await get(`/dashboard/customers?email=${encodeURIComponent(name)}`, jar)).text();
      expect(search, name).toContain(`value="${escaped(name)}"`);
      expect(search, name).not.toContain(key);
      expect(signOutForms(search), name).toBe(1);
    }
  });

  it('in a path is not filled on the 404 page', async () => {
    const reader = new CookieJar();
    for (const name of NAMES) {
      const response = await get(`/no-such-page/${encodeURIComponent(name)}`, reader);
      const html = await response.text();
      expect(response.status, name).toBe(404);
      expect(secretKeys(html), name).toEqual([]);
      // One "Sign in" link: the header's own, not a copy of the menu where the name was.
      expect(html.split('class="kw-header__link"').length - 1, name).toBe(1);
      expect(html.match(/<header class="kw-header">[\s\S]*?<\/header>/)![0]).toContain('Sign in');
    }
  });

  it('is refused in the fields of a sample rendered from the request', async () => {
    const reader = new CookieJar();
    const sample = (method: string, path: string, params: string) =>
      get(
        `/api/samples?method=${method}&path=${encodeURIComponent(path)}&params=${encodeURIComponent(params)}`,
        reader,
      );
    const ordinary = await sample('POST', '/v1/customers', 'name=Jenny');
    expect(ordinary.status).toBe(200);
    const readerKey = (await ordinary.text()).match(SECRET_KEY_PATTERN)![0];
    for (const [method, path, params] of [
      ['POST', '/v1/customers', 'name=KwStandInAccountMenu'],
      ['POST', '/v1/customers', 'name=sk_test_KwStandInSecret000000000'],
      ['POST', '/v1/customers', 'description=%7B%7BSECRET_KEY%7D%7D'],
      ['POST', '/v1/customers', 'metadata[KwStandInKeyBanner]=1'],
      ['GET', '/v1/customers/cus_KwStandInCust0', ''],
    ] as const) {
      const response = await sample(method, path, params);
      const body = await response.text();
      expect(response.status, params).toBe(400);
      expect(body, params).not.toContain(readerKey);
      expect(body, params).not.toContain('kw-header');
    }
  });
});
