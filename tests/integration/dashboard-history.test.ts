import { describe, expect, inject, it } from 'vitest';
import { CookieJar, get, signUpReader, SECRET_KEY_PATTERN } from '../support/http.ts';

const baseUrl = inject('baseUrl');

/** A signed-in reader and their test secret key, read from their dashboard. */
async function reader() {
  const jar = new CookieJar();
  await signUpReader(jar);
  const html = await (await get('/dashboard/apikeys', jar)).text();
  return { jar, key: html.match(SECRET_KEY_PATTERN)![0] };
}

/** Calls the sandbox as curl would. */
async function api(
  key: string,
  method: string,
  path: string,
  form?: Record<string, string>,
  source?: string,
) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      ...(source ? { 'keyway-source': source } : {}),
    },
    body: form ? new URLSearchParams(form).toString() : undefined,
  });
  return { response, body: (await response.json()) as Record<string, any> };
}

/** Logging does not hold up responses, so wait until an entry shows. */
async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 50; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('The condition did not become true in 2.5 s.');
}

describe('the dashboard history', () => {
  it('lists requests newest first, filters them, and shows one with its request, response and events', async () => {
    const { jar, key } = await reader();
    const created = await api(
      key,
      'POST',
      '/v1/customers',
      { email: 'log@example.com', name: '<b>Log</b> & co' },
      'shell',
    );
    const requestId = created.response.headers.get('request-id')!;
    await api(key, 'GET', '/v1/customers/cus_doesnotexist00');
    await until(async () =>
      (await (await get('/dashboard/logs', jar)).text()).includes('cus_doesnotexist00'),
    );

    const logs = await (await get('/dashboard/logs', jar)).text();
    expect(logs.indexOf('/v1/customers/cus_doesnotexist00')).toBeLessThan(logs.indexOf(requestId));
    const failed = await (await get('/dashboard/logs?status=failed', jar)).text();
    expect(failed).toContain('cus_doesnotexist00');
    expect(failed).not.toContain(requestId);
    const posts = await (await get('/dashboard/logs?method=POST&path=customers', jar)).text();
    expect(posts).toContain(requestId);
    expect(posts).not.toContain('cus_doesnotexist00');

    const detail = await (await get(`/dashboard/logs/${requestId}`, jar)).text();
    expect(detail).toContain(created.body.id);
    expect(detail).toContain('Shell');
    expect(detail).toMatch(/sk_test_…[0-9A-Za-z]{4}/);
    expect(detail).not.toContain(key);
    expect(detail).toContain('customer.created');
    expect(detail).not.toContain('<b>Log</b>');
  });

  it('lists events and customers, with a customer page that shows its events', async () => {
    const { jar, key } = await reader();
    const { body: customer } = await api(key, 'POST', '/v1/customers', {
      email: 'story@example.com',
      name: 'Story',
    });
    await api(key, 'POST', `/v1/customers/${customer.id}`, { name: 'Story, renamed' });
    const events = await (await get('/dashboard/events?type=customer.updated', jar)).text();
    expect(events).toContain('<code>customer.updated</code>');
    expect(events).not.toContain('<code>customer.created</code>');
    const customers = await (await get('/dashboard/customers?email=story', jar)).text();
    expect(customers).toContain('Story, renamed');
    const page = await (await get(`/dashboard/customers/${customer.id}`, jar)).text();
    expect(page).toContain('customer.created');
    expect(page).toContain('customer.updated');
  });

  it("shows a customer's summary card above its JSON: who, id to copy, when, and where its history is", async () => {
    const { jar, key } = await reader();
    const { body: customer, response } = await api(key, 'POST', '/v1/customers', {
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      description: 'Analytical engine',
      'metadata[plan]': 'trial',
      'metadata[team]': 'growth',
    });
    const html = await (await get(`/dashboard/customers/${customer.id}`, jar)).text();
    const card = html.match(/<section class="kw-customer-card[\s\S]*?<\/section>/)?.[0] ?? '';
    expect(html.indexOf('kw-customer-card')).toBeLessThan(html.indexOf('id="customer-json"'));
    // Each term with its value, tags and scoping attributes aside.
    const text = card.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(text).toContain('Name Ada Lovelace');
    expect(text).toContain('Email ada@example.com');
    expect(text).toMatch(new RegExp(`Id ${customer.id} Copy`));
    expect(text).toMatch(/Created (now|\d+ seconds? ago) Description/);
    expect(text).toContain('Description Analytical engine');
    expect(text).toContain('Metadata 2 keys');
    expect(card).toMatch(new RegExp(`<code id="customer-id"[^>]*>${customer.id}</code>`));
    expect(card).toContain('data-kw-copy-from="#customer-id"');
    expect(card).toContain('href="#customer-events"');
    expect(card).toContain(`href="/dashboard/logs?path=${customer.id}"`);
    expect(card).toContain(`href="/dashboard/logs/${response.headers.get('request-id')}"`);

    // A customer with nothing but an id says so, rather than leaving blanks.
    const { body: bare } = await api(key, 'POST', '/v1/customers', {});
    const bareCard = (await (await get(`/dashboard/customers/${bare.id}`, jar)).text()).match(
      /<section class="kw-customer-card[\s\S]*?<\/section>/,
    )![0];
    const bareText = bareCard.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(bareText).toContain('Name None');
    expect(bareText).toContain('Metadata None');
  });

  it("never shows one account another's requests, events or customers", async () => {
    const owner = await reader();
    const stranger = await reader();
    const { response, body } = await api(owner.key, 'POST', '/v1/customers', {
      email: 'private@example.com',
    });
    const requestId = response.headers.get('request-id')!;
    await until(async () => (await get(`/dashboard/logs/${requestId}`, owner.jar)).status === 200);
    expect((await get(`/dashboard/logs/${requestId}`, stranger.jar)).status).toBe(404);
    expect((await get(`/dashboard/customers/${body.id}`, stranger.jar)).status).toBe(404);
    expect(await (await get('/dashboard/customers', stranger.jar)).text()).not.toContain(body.id);
    expect(await (await get('/dashboard/logs', stranger.jar)).text()).not.toContain(requestId);
  });

  it('sends anonymous readers to sign in', async () => {
    for (const path of [
      '/dashboard/logs',
      '/dashboard/events',
      '/dashboard/customers',
      '/dashboard/logs/req_x',
    ]) {
      const response = await get(path, new CookieJar());
      expect(response.status, path).toBe(303);
      expect(response.headers.get('location'), path).toMatch(/^\/login\?next=/);
    }
  });
});
