import { describe, expect, inject, it } from 'vitest';
import { CookieJar, distinct, get, postForm, SECRET_KEY_PATTERN, signUpReader } from '../support/http.ts';
import { freshEmail, invite } from '../support/teams.ts';

const baseUrl = inject('baseUrl');

async function sampleKey(jar: CookieJar): Promise<string> {
  const html = await (await get('/docs/first-request', jar)).text();
  return distinct(html, SECRET_KEY_PATTERN)[0]!;
}

function createCustomer(key: string, email: string) {
  return fetch(`${baseUrl}/v1/customers`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email }).toString(),
  });
}

describe('guest sandboxes for anonymous readers', () => {
  it('a page view creates nothing; activation makes the sample key work from a terminal', async () => {
    const jar = new CookieJar();
    const key = await sampleKey(jar);
    expect((await createCustomer(key, 'early@example.com')).status).toBe(401);
    const activated = await postForm('/api/guest', {}, jar);
    expect(activated.status).toBe(200);
    expect(await activated.json()).toEqual({ active: true, source: 'guest', created: true });
    expect((await createCustomer(key, 'guest@example.com')).status).toBe(200);
  });

  it("keeps two anonymous readers' sandboxes apart", async () => {
    const first = new CookieJar();
    const second = new CookieJar();
    const firstKey = await sampleKey(first);
    const secondKey = await sampleKey(second);
    await postForm('/api/guest', {}, first);
    await postForm('/api/guest', {}, second);
    const created = (await (await createCustomer(firstKey, 'mine@example.com')).json()) as { id: string };
    const peek = await fetch(`${baseUrl}/v1/customers/${created.id}`, {
      headers: { authorization: `Bearer ${secondKey}` },
    });
    expect(peek.status).toBe(404);
    const list = (await (
      await fetch(`${baseUrl}/v1/customers`, { headers: { authorization: `Bearer ${secondKey}` } })
    ).json()) as {
      data: unknown[];
    };
    expect(list.data).toEqual([]);
  });

  it('moves what the guest made into the account at sign-up', async () => {
    const jar = new CookieJar();
    const key = await sampleKey(jar);
    await postForm('/api/guest', {}, jar);
    const customer = (await (await createCustomer(key, 'keepme@example.com')).json()) as { id: string };
    await signUpReader(jar);
    const customers = await (await get('/dashboard/customers', jar)).text();
    expect(customers).toContain(customer.id);
    // The guest keys are retired; the account's own keys carry on.
    expect((await createCustomer(key, 'after@example.com')).status).toBe(401);
  });

  /**
   * An anonymous reader makes a customer in their guest sandbox, then takes an invitation
   * to the owner's account with `role` and signs up through it.
   */
  async function joinWithGuestCustomer(owner: CookieJar, role: 'viewer' | 'developer') {
    const jar = new CookieJar();
    const key = await sampleKey(jar);
    await postForm('/api/guest', {}, jar);
    const created = await createCustomer(key, `${role}@example.com`);
    const customer = (await created.json()) as { id: string };
    const events = await fetch(`${baseUrl}/v1/events?limit=1`, {
      headers: { authorization: `Bearer ${key}` },
    });
    const [event] = ((await events.json()) as { data: { id: string }[] }).data;
    const link = await invite(owner, freshEmail(role), role);
    await get(link, jar);
    const joined = await postForm(link, { intent: 'signup', password: 'correct horse battery' }, jar);
    expect(joined.status).toBe(303);
    return {
      jar,
      customerId: customer.id,
      eventId: event!.id,
      requestId: created.headers.get('request-id')!,
    };
  }

  it("keeps a View-only member's guest data out of the team account: it goes to their own", async () => {
    const owner = new CookieJar();
    await signUpReader(owner);
    const { jar, customerId, eventId, requestId } = await joinWithGuestCustomer(owner, 'viewer');
    expect(requestId).toMatch(/^req_/);
    expect(await (await get('/dashboard/customers', owner)).text()).not.toContain(customerId);
    expect(await (await get('/dashboard/events', owner)).text()).not.toContain(eventId);
    expect(await (await get('/dashboard/logs', owner)).text()).not.toContain(requestId);
    // The member's own account (the picker's other choice) has it.
    const page = await (await get('/docs/first-request', jar)).text();
    const own = [...page.matchAll(/name="account" value="(acct_[0-9A-Za-z]+)"(?! aria-current)/g)][0]![1]!;
    expect((await postForm('/account/switch', { account: own, next: '/' }, jar)).status).toBe(303);
    expect(await (await get('/dashboard/customers', jar)).text()).toContain(customerId);
    expect(await (await get('/dashboard/events', jar)).text()).toContain(eventId);
    expect(await (await get('/dashboard/logs', jar)).text()).toContain(requestId);
  });

  it("moves a Developer's guest data into the team account", async () => {
    const owner = new CookieJar();
    await signUpReader(owner);
    const { customerId, eventId, requestId } = await joinWithGuestCustomer(owner, 'developer');
    expect(await (await get('/dashboard/customers', owner)).text()).toContain(customerId);
    expect(await (await get('/dashboard/events', owner)).text()).toContain(eventId);
    expect(await (await get('/dashboard/logs', owner)).text()).toContain(requestId);
  });

  it('refuses cross-site activation', async () => {
    const response = await postForm('/api/guest', {}, new CookieJar(), { origin: 'https://evil.example' });
    expect(response.status).toBe(403);
  });
});
