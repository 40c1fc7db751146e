import { describe, expect, inject, it } from 'vitest';
import { CookieJar, get, SECRET_KEY_PATTERN, signUpReader } from '../support/http.ts';

const baseUrl = inject('baseUrl');

/** A page's text as a reader sees and copies it (highlighting spans removed). */
async function pageText(path: string, jar: CookieJar): Promise<string> {
  return (await (await get(path, jar)).text()).replace(/<[^>]+>/g, '');
}

describe('samples that name an object', () => {
  it("use a marked placeholder until the reader has one, then the reader's latest", async () => {
    const jar = new CookieJar();
    await signUpReader(jar);
    const before = await pageText('/docs/api/customers', jar);
    expect(before).toContain('/v1/customers/cus_CREATE_A_CUSTOMER_FIRST');
    expect(before).not.toContain('KwStandIn');

    const key = (await (await get('/dashboard/apikeys', jar)).text()).match(SECRET_KEY_PATTERN)![0];
    const created = (await (
      await fetch(`${baseUrl}/v1/customers`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'email=latest%40example.com',
      })
    ).json()) as { id: string };
    const customers = await pageText('/docs/api/customers', jar);
    expect(customers).toContain(`/v1/customers/${created.id}`);
    expect(customers).toContain(`stripe.customers.retrieve('${created.id}')`);
    expect(customers).not.toContain('cus_CREATE_A_CUSTOMER_FIRST');
    const events = await pageText('/docs/api/events', jar);
    expect(events).toMatch(/\/v1\/events\/evt_[0-9A-Za-z]{24}/);
    expect(events).not.toContain('evt_SEND_A_REQUEST_FIRST');
  });

  it('show anonymous readers without a sandbox the placeholders', async () => {
    const jar = new CookieJar();
    expect(await pageText('/docs/api/customers', jar)).toContain('/v1/customers/cus_CREATE_A_CUSTOMER_FIRST');
    expect(await pageText('/docs/api/events', jar)).toContain('/v1/events/evt_SEND_A_REQUEST_FIRST');
  });
});
