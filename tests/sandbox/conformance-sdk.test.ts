import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskKey } from '../../src/isomorphic/key-mask.ts';
import type { Database } from '../../src/lib/db/schema.ts';
import { authenticateKey } from '../../src/lib/keys/api-keys.ts';
import { claim, fingerprint } from '../../src/sandbox/idempotency.ts';
import { openMigrated } from '../support/databases.ts';
import { checkEverySandboxResponse } from '../support/openapi.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import {
  browse,
  call,
  createRestrictedKey,
  liveKeys,
  newReaderWithKeys,
  REQUEST_ID,
  rollSecretKey,
  sdk,
  sharedBase,
  sleep,
  unknownSecretKey,
  type Reader,
} from '../support/sandbox.ts';

/**
 * The official `stripe` npm SDK, changed only in where it sends requests, against the
 * running sandbox: what a reader's own code sees. Each scenario signs up its own reader, so
 * scenarios share no data and no rate-limit window.
 */

const { errors } = Stripe;

// Every response the SDK clients and raw calls receive, against /openapi.json.
checkEverySandboxResponse();

/** The error a promise rejects with (failing the test if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await promise;
  } catch (error) {
    return error as Stripe.errors.StripeError;
  }
  throw new Error('Expected the request to fail, but it succeeded.');
}

/** A header of an SDK response; with the fetch client, `lastResponse` is the fetch Response. */
function headerOf(response: Stripe.Response<unknown>['lastResponse'], name: string): string | null {
  const headers = response.headers as unknown as Headers | Record<string, string>;
  return headers instanceof Headers ? headers.get(name) : (headers[name] ?? null);
}

describe('customer lifecycle', () => {
  let reader: Reader;
  let stripe: Stripe;
  const createKey = `lifecycle-create-${Date.now()}`;
  let created: Stripe.Response<Stripe.Customer>;
  let updated: Stripe.Response<Stripe.Customer>;
  let unset: Stripe.Response<Stripe.Customer>;
  let deleted: Stripe.Response<Stripe.DeletedCustomer>;

  beforeAll(async () => {
    reader = await newReaderWithKeys();
    stripe = sdk(reader.secretKey);
  });

  it('creates a customer with metadata, address and preferred locales, in the full default shape', async () => {
    created = await stripe.customers.create(
      {
        email: 'ada@example.com',
        name: 'Ada Lovelace',
        description: 'First customer',
        metadata: { order_id: '6735', plan: 'basic' },
        address: { line1: '12 St James Square', city: 'London', postal_code: 'SW1Y 4JH', country: 'GB' },
        preferred_locales: ['en-GB', 'fr'],
      },
      { idempotencyKey: createKey },
    );
    expect(created.id).toMatch(/^cus_[0-9A-Za-z]{14}$/);
    expect(created).toMatchObject({
      object: 'customer',
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      description: 'First customer',
      livemode: false,
      balance: 0,
      metadata: { order_id: '6735', plan: 'basic' },
      address: {
        line1: '12 St James Square',
        line2: null,
        city: 'London',
        state: null,
        postal_code: 'SW1Y 4JH',
        country: 'GB',
      },
      preferred_locales: ['en-GB', 'fr'],
    });
    // The default field set of a customer (stripe-mock's fixture for the current version).
    for (const field of [
      'currency',
      'default_source',
      'delinquent',
      'discount',
      'invoice_prefix',
      'invoice_settings',
      'next_invoice_sequence',
      'phone',
      'shipping',
      'tax_exempt',
      'test_clock',
      'created',
    ]) {
      expect(created, field).toHaveProperty(field);
    }
    expect(Math.abs(created.created - Date.now() / 1000)).toBeLessThan(60);
    expect(created.lastResponse.requestId).toMatch(REQUEST_ID);
    expect(created.lastResponse.statusCode).toBe(200);
  });

  it('retrieves the same customer', async () => {
    const retrieved = await stripe.customers.retrieve(created.id);
    const { lastResponse: _a, ...fresh } = retrieved as Stripe.Response<Stripe.Customer>;
    const { lastResponse: _b, ...original } = created;
    expect(fresh).toEqual(original);
  });

  it('updates fields and sets metadata keys, keeping the others', async () => {
    updated = await stripe.customers.update(created.id, {
      name: 'Augusta Ada King',
      metadata: { plan: 'pro', vip: 'true' },
    });
    expect(updated.name).toBe('Augusta Ada King');
    expect(updated.metadata).toEqual({ order_id: '6735', plan: 'pro', vip: 'true' });
    expect(updated.email).toBe('ada@example.com');
  });

  it("unsets one metadata key and a field with ''", async () => {
    unset = await stripe.customers.update(created.id, { metadata: { vip: '' }, description: '' });
    expect(unset.metadata).toEqual({ order_id: '6735', plan: 'pro' });
    expect(unset.description).toBeNull();
    const again = await stripe.customers.retrieve(created.id);
    expect((again as Stripe.Customer).metadata).toEqual({ order_id: '6735', plan: 'pro' });
  });

  it('deletes the customer, then answers 404 resource_missing as StripeInvalidRequestError', async () => {
    deleted = await stripe.customers.del(created.id);
    const { lastResponse: _, ...body } = deleted;
    expect(body).toEqual({ id: created.id, object: 'customer', deleted: true });

    for (const attempt of [
      () => stripe.customers.retrieve(created.id),
      () => stripe.customers.update(created.id, { name: 'x' }),
      () => stripe.customers.del(created.id),
    ]) {
      const error = await rejection(attempt());
      expect(error).toBeInstanceOf(errors.StripeInvalidRequestError);
      expect(error).toMatchObject({
        statusCode: 404,
        code: 'resource_missing',
        param: 'id',
        type: 'StripeInvalidRequestError',
      });
      expect(error.message).toBe(`No such customer: '${created.id}'`);
      expect(error.requestId).toMatch(REQUEST_ID);
    }
    const list = await stripe.customers.list();
    expect(list.data.map((customer) => customer.id)).not.toContain(created.id);
  });

  describe('events for each change', () => {
    let events: Stripe.Event[];

    beforeAll(async () => {
      events = await stripe.events
        .list({ type: 'customer.*', limit: 100 })
        .autoPagingToArray({ limit: 1000 });
    });

    it('lists one event per change, newest first, all of them customer.*', () => {
      expect(events.map((event) => event.type)).toEqual([
        'customer.deleted',
        'customer.updated',
        'customer.updated',
        'customer.created',
      ]);
      for (const event of events) {
        expect(event.id).toMatch(/^evt_[0-9A-Za-z]+$/);
        expect(event).toMatchObject({ object: 'event', livemode: false, pending_webhooks: 0 });
        expect((event.data.object as { id: string }).id).toBe(created.id);
      }
    });

    it('customer.created carries the request id and the idempotency key of the create', () => {
      const event = events.find((e) => e.type === 'customer.created')!;
      expect(event.request).toEqual({ id: created.lastResponse.requestId, idempotency_key: createKey });
      expect(event.data.object).toMatchObject({
        email: 'ada@example.com',
        metadata: { order_id: '6735', plan: 'basic' },
      });
      expect(event.data).not.toHaveProperty('previous_attributes');
    });

    it('customer.updated carries previous_attributes, including changed metadata keys', () => {
      const [second, first] = events.filter((e) => e.type === 'customer.updated');
      expect(first!.request?.id).toBe(updated.lastResponse.requestId);
      // stripe-node sends its own Idempotency-Key on every POST; the event records it.
      expect(first!.request?.idempotency_key).toBe(updated.lastResponse.idempotencyKey);
      expect(first!.data.previous_attributes).toEqual({
        name: 'Ada Lovelace',
        metadata: { plan: 'basic', vip: null },
      });
      expect(first!.data.object).toMatchObject({ name: 'Augusta Ada King' });
      expect(second!.request?.id).toBe(unset.lastResponse.requestId);
      expect(second!.data.previous_attributes).toEqual({
        description: 'First customer',
        metadata: { vip: 'true' },
      });
    });

    it('customer.deleted names the deleted customer and its request', () => {
      const event = events.find((e) => e.type === 'customer.deleted')!;
      expect(event.request?.id).toBe(deleted.lastResponse.requestId);
      expect(event.data.object).toMatchObject({ id: created.id, object: 'customer' });
    });

    it('filters by types and by an exact type, and retrieves one event by id', async () => {
      const some = await stripe.events.list({ types: ['customer.created', 'customer.deleted'] });
      expect(some.data.map((event) => event.type)).toEqual(['customer.deleted', 'customer.created']);
      const exact = await stripe.events.list({ type: 'customer.updated' });
      expect(exact.data).toHaveLength(2);
      const none = await stripe.events.list({ type: 'invoice.*' });
      expect(none.data).toEqual([]);

      const { lastResponse: _, ...one } = await stripe.events.retrieve(events[0]!.id);
      expect(one).toEqual(events[0]);
      const missing = await rejection(stripe.events.retrieve('evt_doesnotexist'));
      expect(missing).toBeInstanceOf(errors.StripeInvalidRequestError);
      expect(missing).toMatchObject({ statusCode: 404, code: 'resource_missing' });
    });
  });
});

describe('list pagination and filters', () => {
  let stripe: Stripe;
  /** Ids in creation order. */
  const ids: string[] = [];
  const emails: string[] = [];

  beforeAll(async () => {
    const reader = await newReaderWithKeys();
    stripe = sdk(reader.secretKey);
    for (let i = 0; i < 25; i++) {
      const email = i % 5 === 0 ? 'five@example.com' : `c${i}@example.com`;
      const customer = await stripe.customers.create({ email, name: `Customer ${i}` });
      ids.push(customer.id);
      emails.push(email);
      // Lists sort by creation time; 2 ms apart, no two customers share a millisecond.
      await sleep(2);
    }
  });

  it('auto-pagination with limit 7 walks every customer once, newest first', async () => {
    const seen: string[] = [];
    for await (const customer of stripe.customers.list({ limit: 7 })) seen.push(customer.id);
    expect(seen).toEqual([...ids].reverse());
  });

  it('starting_after walks forward in pages of 7 with has_more until the end', async () => {
    const pages: string[][] = [];
    const hasMore: boolean[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await stripe.customers.list({ limit: 7, ...(cursor ? { starting_after: cursor } : {}) });
      expect(page).toMatchObject({ object: 'list', url: '/v1/customers' });
      pages.push(page.data.map((customer) => customer.id));
      hasMore.push(page.has_more);
      if (!page.has_more) break;
      cursor = page.data.at(-1)!.id;
    }
    expect(pages.map((page) => page.length)).toEqual([7, 7, 7, 4]);
    expect(hasMore).toEqual([true, true, true, false]);
    expect(pages.flat()).toEqual([...ids].reverse());
  });

  it('ending_before walks back from the oldest, each page still newest first', async () => {
    const pages: string[][] = [];
    let cursor = ids[0]!;
    for (;;) {
      const page = await stripe.customers.list({ limit: 7, ending_before: cursor });
      pages.unshift(page.data.map((customer) => customer.id));
      if (!page.has_more) break;
      cursor = page.data[0]!.id;
    }
    expect(pages.map((page) => page.length)).toEqual([3, 7, 7, 7]);
    expect(pages.flat()).toEqual([...ids].reverse().slice(0, 24));
  });

  it('filters by email', async () => {
    const five = await stripe.customers.list({ email: 'five@example.com', limit: 100 });
    const expected = ids.filter((_, i) => emails[i] === 'five@example.com').reverse();
    expect(expected).toHaveLength(5);
    expect(five.data.map((customer) => customer.id)).toEqual(expected);
    expect((await stripe.customers.list({ email: 'nobody@example.com' })).data).toEqual([]);
  });

  it('filters by created, with gt/gte/lt/lte and an exact second', async () => {
    const all = await stripe.customers.list({ limit: 100 });
    const seconds = [...new Set(all.data.map((customer) => customer.created))].sort((a, b) => a - b);
    // The SDK client starts at most 20 requests a second, so 25 creations span 2+ seconds.
    expect(seconds.length).toBeGreaterThan(1);
    const boundary = seconds[1]!;
    const listed = async (created: Stripe.RangeQueryParam | number) =>
      (await stripe.customers.list({ limit: 100, created })).data.map((customer) => customer.id).sort();
    const matching = (test: (created: number) => boolean) =>
      all.data
        .filter((customer) => test(customer.created))
        .map((customer) => customer.id)
        .sort();

    expect(await listed({ gte: boundary })).toEqual(matching((c) => c >= boundary));
    expect(await listed({ gt: boundary })).toEqual(matching((c) => c > boundary));
    expect(await listed({ lt: boundary })).toEqual(matching((c) => c < boundary));
    expect(await listed({ lte: boundary })).toEqual(matching((c) => c <= boundary));
    expect(await listed(boundary)).toEqual(matching((c) => c === boundary));
    expect(matching((c) => c < boundary).length).toBeGreaterThan(0);
    expect(matching((c) => c >= boundary).length).toBeGreaterThan(0);
  });

  it('refuses starting_after and ending_before together', async () => {
    const error = await rejection(stripe.customers.list({ starting_after: ids[3], ending_before: ids[1] }));
    expect(error).toBeInstanceOf(errors.StripeInvalidRequestError);
    expect(error.statusCode).toBe(400);
  });
});

describe('authentication errors raise the right SDK class', () => {
  let reader: Reader;

  beforeAll(async () => {
    reader = await newReaderWithKeys();
  });

  it('no key: 401 invalid_request_error pointing at this site', async () => {
    // stripe-node will not send a request without a key, so this one is made by hand.
    const response = await call(sharedBase(), 'GET', '/v1/customers');
    expect(response.status).toBe(401);
    expect(response.json.error.type).toBe('invalid_request_error');
    expect(response.json.error.message).toMatch(/^You did not provide an API key\. /);
    expect(response.json.error.message).toContain(`${sharedBase()}/dashboard/apikeys`);
  });

  it('unknown key: StripeAuthenticationError with the key masked', async () => {
    const key = unknownSecretKey();
    const error = await rejection(sdk(key).customers.list());
    expect(error).toBeInstanceOf(errors.StripeAuthenticationError);
    expect(error.statusCode).toBe(401);
    expect(error.message).toContain(`Invalid API Key provided: ${maskKey(key)}`);
    expect(error.message).not.toContain(key);
  });

  it('a key rolled away now: StripeAuthenticationError code api_key_expired; the new key works', async () => {
    const own = await newReaderWithKeys();
    const old = own.secretKey;
    const fresh = await rollSecretKey(own, 'now');
    const error = await rejection(sdk(old).customers.list());
    expect(error).toBeInstanceOf(errors.StripeAuthenticationError);
    expect(error).toMatchObject({ statusCode: 401, code: 'api_key_expired' });
    expect(error.message).toContain(maskKey(old));
    await expect(sdk(fresh).customers.list()).resolves.toMatchObject({ object: 'list' });
  });

  it.each([
    ['1h', 60 * 60 * 1000],
    ['24h', 24 * 60 * 60 * 1000],
    ['7d', 7 * 24 * 60 * 60 * 1000],
  ] as const)(
    'a key rolled with %s keeps working meanwhile, and the dashboard says until when',
    async (window, length) => {
      const own = await newReaderWithKeys();
      const old = own.secretKey;
      const before = Date.now();
      await rollSecretKey(own, window);
      const after = Date.now();
      await expect(sdk(old).customers.list()).resolves.toMatchObject({ object: 'list' });
      const page = await (await browse(own.base, '/dashboard/apikeys', own.jar)).text();
      const expires = /Expires <time datetime="([^"]+)"/.exec(page)?.[1];
      expect(expires, 'the old key shows when it expires').toBeDefined();
      const at = Date.parse(expires!);
      expect(at).toBeGreaterThanOrEqual(before + length);
      expect(at).toBeLessThanOrEqual(after + length);
    },
  );

  it('publishable key: StripePermissionError secret_key_required', async () => {
    const error = await rejection(sdk(reader.publishableKey).customers.list());
    expect(error).toBeInstanceOf(errors.StripePermissionError);
    expect(error).toMatchObject({ statusCode: 403, code: 'secret_key_required' });
    expect(error.message).toContain('cannot be made with a publishable API key');
  });

  it('live keys: StripePermissionError explaining live mode and pointing at the test keys', async () => {
    const own = await newReaderWithKeys();
    const live = await liveKeys(own);
    const secret = await rejection(sdk(live.secret).customers.list());
    expect(secret).toBeInstanceOf(errors.StripePermissionError);
    expect(secret.statusCode).toBe(403);
    expect(secret.message).toContain('Live mode needs an activated account');
    expect(secret.message).toContain(`${sharedBase()}/dashboard/apikeys`);
    const publishable = await rejection(sdk(live.publishable).customers.list());
    expect(publishable).toBeInstanceOf(errors.StripePermissionError);
    expect(publishable.code).toBe('secret_key_required');
  });

  it('restricted key without the permission: StripePermissionError naming it; with it, the request works', async () => {
    const restricted = await createRestrictedKey(reader, { customers: 'read', events: 'none' });
    const stripe = sdk(restricted);
    const write = await rejection(stripe.customers.create({ email: 'no@example.com' }));
    expect(write).toBeInstanceOf(errors.StripePermissionError);
    expect(write.statusCode).toBe(403);
    // The dashboard's name for the permission leads; Stripe's machine name follows.
    expect(write.message).toContain('needs Customers: Write for this endpoint');
    expect(write.message).toContain("(Stripe calls this permission 'rak_customer_write')");
    expect(write.message).toContain(`The provided key '${maskKey(restricted)}'`);
    expect(write.message).toMatch(/on account 'acct_[0-9A-Za-z]+'/);

    const events = await rejection(stripe.events.list());
    expect(events).toBeInstanceOf(errors.StripePermissionError);
    expect(events.message).toContain("'rak_event_read'");

    // Read access lists customers, including ones the account's secret key made.
    const made = await sdk(reader.secretKey).customers.create({ email: 'listed@example.com' });
    const listed = await stripe.customers.list();
    expect(listed.data.map((customer) => customer.id)).toContain(made.id);
    await expect(stripe.customers.retrieve(made.id)).resolves.toMatchObject({ id: made.id });
    const remove = await rejection(stripe.customers.del(made.id));
    expect(remove).toBeInstanceOf(errors.StripePermissionError);
  });

  it('a restricted write key may write', async () => {
    const restricted = await createRestrictedKey(reader, { customers: 'write', events: 'read' });
    const customer = await sdk(restricted).customers.create({ email: 'writer@example.com' });
    expect(customer.email).toBe('writer@example.com');
    const events = await sdk(restricted).events.list({ type: 'customer.created' });
    expect(events.data.map((event) => (event.data.object as { id: string }).id)).toContain(customer.id);
  });
});

describe('idempotent requests', () => {
  let reader: Reader;
  let stripe: Stripe;

  beforeAll(async () => {
    reader = await newReaderWithKeys();
    stripe = sdk(reader.secretKey);
  });

  it('a retry with the same key returns the same object, marked Idempotent-Replayed, and creates nothing', async () => {
    const key = `retry-${Date.now()}`;
    const params = { email: 'once@example.com', metadata: { attempt: '1' } };
    const first = await stripe.customers.create(params, { idempotencyKey: key });
    const second = await stripe.customers.create(params, { idempotencyKey: key });
    expect(second.id).toBe(first.id);
    const { lastResponse: _a, ...a } = first;
    const { lastResponse: _b, ...b } = second;
    expect(b).toEqual(a);
    expect(headerOf(first.lastResponse, 'idempotent-replayed')).toBeNull();
    expect(headerOf(second.lastResponse, 'idempotent-replayed')).toBe('true');
    expect(second.lastResponse.requestId).not.toBe(first.lastResponse.requestId);

    // The same request by hand, as the SDK encodes it: the saved body, byte for byte as JSON.
    const raw = await call(sharedBase(), 'POST', '/v1/customers', {
      key: reader.secretKey,
      form: 'email=once%40example.com&metadata[attempt]=1',
      headers: { 'idempotency-key': key },
    });
    expect(raw.status).toBe(200);
    expect(raw.headers.get('idempotent-replayed')).toBe('true');
    expect(raw.headers.get('idempotency-key')).toBe(key);
    expect(raw.json).toEqual(a);

    const all = await stripe.customers.list({ email: 'once@example.com' });
    expect(all.data).toHaveLength(1);
    const created = await stripe.events.list({ type: 'customer.created' });
    expect(
      created.data.filter((event) => (event.data.object as { id: string }).id === first.id),
    ).toHaveLength(1);
  });

  it('a retry that sends the same parameters in another order is still the same request', async () => {
    const key = `reordered-${Date.now()}`;
    const send = (form: string) =>
      call(sharedBase(), 'POST', '/v1/customers', {
        key: reader.secretKey,
        form,
        headers: { 'idempotency-key': key },
        paced: true,
      });
    const first = await send('email=order%40example.com&name=Ordered&metadata[a]=1&metadata[b]=2');
    const retry = await send('metadata[b]=2&name=Ordered&metadata[a]=1&email=order%40example.com');
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.json.id).toBe(first.json.id);
    // A list's order is part of what it says, so reordering one is another request.
    const listKey = `${key}-list`;
    const locales = (form: string) =>
      call(sharedBase(), 'POST', '/v1/customers', {
        key: reader.secretKey,
        form,
        headers: { 'idempotency-key': listKey },
        paced: true,
      });
    expect((await locales('preferred_locales[0]=fr&preferred_locales[1]=en')).status).toBe(200);
    expect((await locales('preferred_locales[0]=en&preferred_locales[1]=fr')).json.error.type).toBe(
      'idempotency_error',
    );
  });

  it('the same key with other parameters: StripeIdempotencyError (400, idempotency_error)', async () => {
    const key = `mismatch-${Date.now()}`;
    await stripe.customers.create({ email: 'a@example.com' }, { idempotencyKey: key });
    const error = await rejection(
      stripe.customers.create({ email: 'b@example.com' }, { idempotencyKey: key }),
    );
    expect(error).toBeInstanceOf(errors.StripeIdempotencyError);
    expect(error.statusCode).toBe(400);
    expect(error.raw).toMatchObject({ type: 'idempotency_error' });
    expect(error.message).toContain(`Try using a key other than '${key}'`);
    expect((await stripe.customers.list({ email: 'b@example.com' })).data).toHaveLength(0);
  });

  it('a failed validation is not saved: the key still works for a valid request', async () => {
    const key = `invalid-first-${Date.now()}`;
    const invalid = await rejection(
      stripe.customers.create({ balance: 'abc' as unknown as number }, { idempotencyKey: key }),
    );
    expect(invalid).toBeInstanceOf(errors.StripeInvalidRequestError);
    await expect(stripe.customers.create({ balance: 5 }, { idempotencyKey: key })).resolves.toMatchObject({
      balance: 5,
    });
  });

  it('keys are per account: another account may use the same key for its own request', async () => {
    const key = `shared-key-${Date.now()}`;
    const mine = await stripe.customers.create({ email: 'mine@example.com' }, { idempotencyKey: key });
    const other = await newReaderWithKeys();
    const theirs = await sdk(other.secretKey).customers.create(
      { email: 'theirs@example.com' },
      { idempotencyKey: key },
    );
    expect(theirs.id).not.toBe(mine.id);
    expect(theirs.email).toBe('theirs@example.com');
  });
});

describe('a key still in flight answers 409 (server with a known database)', () => {
  let server: RunningServer;
  let folder: string;
  let db: Kysely<Database>;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'keyway-sdk-'));
    const url = `file:${join(folder, 'keyway.sqlite')}`;
    server = await startServer({ DATABASE_URL: url });
    db = await openMigrated(url);
  });
  afterAll(async () => {
    await server?.stop();
    await db?.destroy();
    rmSync(folder, { recursive: true, force: true });
  });

  it('a request whose key another request holds gets 409 idempotency_key_in_use, and the SDK does not retry it here', async () => {
    const reader = await newReaderWithKeys(server.baseUrl);
    const found = await authenticateKey(db, reader.secretKey);
    if (!('key' in found)) throw new Error('The reader key did not authenticate');
    const key = `in-flight-${Date.now()}`;
    // Hold the key the way a request still running holds it: claimed, with no saved answer.
    const held = await claim(
      db,
      { accountId: found.key.accountId, mode: 'test', key },
      fingerprint('POST', '/v1/customers', { email: 'held@example.com' }),
      Date.now(),
    );
    expect(held).toBeNull();

    const stripe = sdk(reader.secretKey, server.baseUrl, { retries: 0 });
    const error = await rejection(
      stripe.customers.create({ email: 'held@example.com' }, { idempotencyKey: key }),
    );
    // stripe-node maps 409 to its generic StripeAPIError (and would retry it by default).
    expect(error).toBeInstanceOf(errors.StripeAPIError);
    expect(error).toMatchObject({ statusCode: 409, code: 'idempotency_key_in_use' });
    expect(error.message).toContain(
      `There is currently another in-progress request using this Idempotent Key`,
    );
    expect(error.message).toContain(key);
    expect((await stripe.customers.list()).data).toEqual([]);
  });
});

describe('rate limit', () => {
  it('more than 25 requests in a second with one key: some StripeRateLimitError 429 rate_limit with Retry-After', async () => {
    const reader = await newReaderWithKeys();
    const stripe = sdk(reader.secretKey, sharedBase(), { throttle: false, retries: 0 });
    // 60 at once: even split across two one-second windows, one window holds more than 25.
    const results = await Promise.allSettled(
      Array.from({ length: 60 }, () => stripe.customers.list({ limit: 1 })),
    );
    const limited = results
      .filter((result) => result.status === 'rejected')
      .map((result) => (result as PromiseRejectedResult).reason as Stripe.errors.StripeError);
    const passed = results.filter((result) => result.status === 'fulfilled');
    expect(limited.length).toBeGreaterThanOrEqual(10);
    expect(passed.length).toBeGreaterThanOrEqual(25);
    expect(passed.length).toBeLessThanOrEqual(50);
    for (const error of limited) {
      expect(error).toBeInstanceOf(errors.StripeRateLimitError);
      expect(error).toMatchObject({ statusCode: 429, code: 'rate_limit' });
      expect(error.message).toMatch(/^Request rate limit exceeded\./);
      expect(error.headers?.['retry-after']).toBe('1');
    }

    // By hand in the same burst: the 429 carries Retry-After.
    const burst = await Promise.all(
      Array.from({ length: 40 }, () => call(sharedBase(), 'GET', '/v1/customers', { key: reader.secretKey })),
    );
    const tooMany = burst.filter((response) => response.status === 429);
    expect(tooMany.length).toBeGreaterThan(0);
    expect(tooMany[0]!.headers.get('retry-after')).toBe('1');
    expect(tooMany[0]!.json.error).toMatchObject({ type: 'invalid_request_error', code: 'rate_limit' });

    // Another account's key has its own count.
    const other = await newReaderWithKeys();
    await expect(
      sdk(other.secretKey, sharedBase(), { throttle: false }).customers.list(),
    ).resolves.toMatchObject({ object: 'list' });
  });
});

describe("one account never sees another's objects", () => {
  it('retrieve, update, delete, list and events of another account answer as if the customer did not exist', async () => {
    const [alice, bob] = await Promise.all([newReaderWithKeys(), newReaderWithKeys()]);
    const a = sdk(alice.secretKey);
    const b = sdk(bob.secretKey);
    const customer = await a.customers.create({ email: 'private@example.com' });
    for (const attempt of [
      () => b.customers.retrieve(customer.id),
      () => b.customers.update(customer.id, { name: 'x' }),
      () => b.customers.del(customer.id),
    ]) {
      const error = await rejection(attempt());
      expect(error).toBeInstanceOf(errors.StripeInvalidRequestError);
      expect(error).toMatchObject({ statusCode: 404, code: 'resource_missing' });
    }
    expect((await b.customers.list({ limit: 100 })).data).toEqual([]);
    expect((await b.customers.list({ email: 'private@example.com' })).data).toEqual([]);
    expect((await b.events.list({ limit: 100 })).data).toEqual([]);
    const event = (await a.events.list({ limit: 1 })).data[0]!;
    await expect(rejection(b.events.retrieve(event.id))).resolves.toMatchObject({ statusCode: 404 });
    // A cursor from another account is not a way in either.
    await expect(rejection(b.customers.list({ starting_after: customer.id }))).resolves.toMatchObject({
      statusCode: 404,
    });
    // Alice still sees it, unchanged.
    await expect(a.customers.retrieve(customer.id)).resolves.toMatchObject({
      email: 'private@example.com',
      name: null,
    });
  });
});

describe('customer search', () => {
  it('customers.search finds by metadata a page at a time, auto-pages through next_page, and raises on a bad query', async () => {
    const stripe = sdk((await newReaderWithKeys()).secretKey);
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      const customer = await stripe.customers.create({
        email: `sdk${i}@search.test`,
        metadata: { batch: 'b1' },
      });
      made.push(customer.id);
      await sleep(2);
    }
    await stripe.customers.create({ email: 'elsewhere@example.com' });
    const first = await stripe.customers.search({ query: 'metadata["batch"]:"b1"', limit: 2 });
    expect(first).toMatchObject({ object: 'search_result', url: '/v1/customers/search', has_more: true });
    expect(first.next_page).toEqual(expect.any(String));
    expect(first.data.map((customer) => customer.id)).toEqual([made[4], made[3]]);
    const seen: string[] = [];
    for await (const customer of stripe.customers.search({ query: 'email~"search.test"', limit: 2 }))
      seen.push(customer.id);
    expect(seen).toEqual([...made].reverse());

    const error = await rejection(stripe.customers.search({ query: 'foo:"bar"' }));
    expect(error).toBeInstanceOf(errors.StripeInvalidRequestError);
    expect(error).toMatchObject({ statusCode: 400, code: 'search_query_invalid', param: 'query' });
    expect(error.message).toBe(
      'Field `foo` is an unsupported search field for resource `customers`. Searchable fields: created, email, metadata, name, phone.',
    );
  });
});
