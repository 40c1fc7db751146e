import { beforeAll, describe, expect, it } from 'vitest';
import { call, newReaderWithKeys, sharedBase, type Reader } from '../support/sandbox.ts';

/**
 * Constraints the API declaration adds beyond a parameter's type, checked over HTTP as a
 * copied sample would meet them. A refusal changes nothing: no customer made, none changed,
 * no event recorded.
 */

let reader: Reader;
const post = (path: string, form: string) =>
  call(sharedBase(), 'POST', path, { key: reader.secretKey, form, paced: true });
const get = (path: string) => call(sharedBase(), 'GET', path, { key: reader.secretKey, paced: true });

/** What the reader's sandbox holds, to compare before and after a refusal. */
async function snapshot(): Promise<string> {
  const customers = await get('/v1/customers?limit=100');
  const events = await get('/v1/events?limit=100');
  return JSON.stringify([customers.json, events.json]);
}

beforeAll(async () => {
  reader = await newReaderWithKeys();
});

describe('customer email, checked as Stripe checks it', () => {
  // Addresses Stripe refuses (a domain without a dot, no @, a leading space, a full-width @).
  const refused = [
    'not-an-email',
    'otameshi@com',
    ' jenny@example.com',
    'jenny＠example.com',
    'a b@example.com',
  ];

  it.each(refused)('create refuses %j, naming the parameter, and makes no customer', async (email) => {
    const before = await snapshot();
    const response = await post('/v1/customers', new URLSearchParams({ email, name: 'Refused' }).toString());
    expect(response.status, response.text).toBe(400);
    expect(response.json.error).toMatchObject({
      type: 'invalid_request_error',
      code: 'email_invalid',
      param: 'email',
      message: `Invalid email address: ${email}`,
    });
    expect(await snapshot()).toBe(before);
  });

  it('update refuses a malformed email and leaves the customer as it was', async () => {
    const created = await post('/v1/customers', 'email=kept@example.com&name=Kept');
    expect(created.status).toBe(200);
    const before = await snapshot();
    const response = await post(`/v1/customers/${created.json.id}`, 'email=kept%40example&name=Changed');
    expect(response.status).toBe(400);
    expect(response.json.error).toMatchObject({ code: 'email_invalid', param: 'email' });
    expect(await snapshot()).toBe(before);
    expect((await get(`/v1/customers/${created.json.id}`)).json).toMatchObject({
      email: 'kept@example.com',
      name: 'Kept',
    });
  });

  it('accepts plain addresses, and an empty string still unsets the email', async () => {
    for (const email of ['jenny.rosen@example.com', "o'brien+tag@mail.example.co.uk"]) {
      const response = await post('/v1/customers', new URLSearchParams({ email }).toString());
      expect(response.status, response.text).toBe(200);
      expect(response.json.email).toBe(email);
    }
    const created = await post('/v1/customers', 'email=gone@example.com');
    const cleared = await post(`/v1/customers/${created.json.id}`, 'email=');
    expect(cleared.json.email).toBeNull();
  });
});
