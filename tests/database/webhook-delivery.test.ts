import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import Stripe from 'stripe';
import { afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { signUp } from '../../src/lib/auth/accounts.ts';
import type { Database } from '../../src/lib/db/schema.ts';
import { listKeys } from '../../src/lib/keys/api-keys.ts';
import { RequestBus, type DeliveryNotice } from '../../src/lib/live/request-bus.ts';
import { DeliveryWorker, resendDelivery, type DeliveryWorkerOptions } from '../../src/lib/webhooks/index.ts';
import type { RecordedEvent } from '../../src/sandbox/context.ts';
import { handleSandboxRequest } from '../../src/sandbox/handler.ts';
import { describeEachDatabase, useScratchDatabase } from '../support/databases.ts';
import { eventually } from '../support/sandbox.ts';
import { insertEndpoint, startReceiver, type Receiver } from '../support/webhooks.ts';

/**
 * Webhook delivery against a real database and real HTTP receivers on loopback, with the worker
 * driven by hand (`runDue`) and its clock moved by the test, so a schedule of minutes and hours
 * is checked exactly, without waiting for it. Events come from the real sandbox.
 */
const ORIGIN = 'https://docs.example.com';
const USER_AGENT = 'Keyway/1.0 (+https://docs.example.com/docs)';

const receivers: Receiver[] = [];
const workers: DeliveryWorker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.stop()));
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

async function receiver(answer?: Receiver['answer']): Promise<Receiver> {
  const started = await startReceiver(answer);
  receivers.push(started);
  return started;
}

describeEachDatabase('webhook delivery on $name', (kind) => {
  const database = useScratchDatabase(kind);
  let db: Kysely<Database>;
  beforeAll(() => {
    db = database();
  });
  // The queue is shared by the whole database: what an earlier test left owed is settled, so
  // each test's worker sees only its own deliveries.
  beforeEach(async () => {
    await db
      .updateTable('webhook_deliveries')
      .set({ state: 'failed', next_attempt_at: null, locked_until: null })
      .where('state', '=', 'pending')
      .execute();
  });

  /** A new account with its test secret key: each test owns its endpoints and events. */
  async function newAccount(): Promise<{ accountId: string; key: string }> {
    const result = await signUp(db, {
      email: `hooks.${Date.now()}.${Math.random().toString(36).slice(2)}@example.com`,
      password: 'correct horse battery',
    });
    if (!result.ok) throw new Error('sign-up failed');
    const key = (await listKeys(db, result.accountId, 'test')).find((k) => k.kind === 'secret')!.plaintext!;
    return { accountId: result.accountId, key };
  }

  /** POSTs to the sandbox in process, as a reader's SDK would. */
  async function sandbox(
    key: string,
    path: string,
    form?: Record<string, string>,
    bus?: RequestBus,
    method = 'POST',
  ) {
    const response = await handleSandboxRequest(
      new Request(`${ORIGIN}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: form ? new URLSearchParams(form).toString() : undefined,
      }),
      {
        db,
        origin: ORIGIN,
        rateLimitPerSecond: 1000,
        guests: { secret: randomBytes(32), clientAddress: '192.0.2.1' },
        onEvents: (events: RecordedEvent[]) => {
          for (const { id, ...event } of events) bus?.publishEvent({ ...event, eventId: id });
        },
      },
    );
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  /** Creates a customer and returns the id of the `customer.created` event it recorded. */
  async function customerCreated(key: string, bus?: RequestBus): Promise<string> {
    const created = await sandbox(key, '/v1/customers', { email: 'jenny.rosen@example.com' }, bus);
    expect(created.status).toBe(200);
    const event = await db
      .selectFrom('events')
      .select('id')
      .where('object_id', '=', created.body.id as string)
      .where('type', '=', 'customer.created')
      .executeTakeFirstOrThrow();
    return event.id;
  }

  function worker(options: Partial<DeliveryWorkerOptions> = {}): DeliveryWorker {
    const made = new DeliveryWorker({
      db,
      databaseKind: kind.name,
      allowPrivate: true,
      userAgent: USER_AGENT,
      bus: new RequestBus(),
      ...options,
    });
    workers.push(made);
    return made;
  }

  const deliveriesOf = (eventId: string) =>
    db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('event_id', '=', eventId)
      .orderBy('endpoint_id')
      .execute();
  const attemptsOf = (deliveryId: string) =>
    db
      .selectFrom('webhook_attempts')
      .selectAll()
      .where('delivery_id', '=', deliveryId)
      .orderBy('attempt_number')
      .execute();

  it('owes an event to each enabled endpoint of its account and mode that asks for its type, in its transaction', async () => {
    const { accountId, key } = await newAccount();
    const other = await newAccount();
    const url = 'https://hooks.example.com/webhook';
    const everything = await insertEndpoint(db, { accountId, url });
    const created = await insertEndpoint(db, { accountId, url, enabledEvents: ['customer.created'] });
    await insertEndpoint(db, { accountId, url, enabledEvents: ['customer.deleted'] });
    await insertEndpoint(db, { accountId, url, status: 'disabled' });
    await insertEndpoint(db, { accountId, url, mode: 'live' });
    await insertEndpoint(db, { accountId: other.accountId, url });
    // A list the API would never write: asks for nothing rather than breaking the request.
    const broken = await insertEndpoint(db, { accountId, url });
    await db
      .updateTable('webhook_endpoints')
      .set({ enabled_events: '{not json' })
      .where('id', '=', broken.id)
      .execute();

    const eventId = await customerCreated(key);
    const deliveries = await deliveriesOf(eventId);
    expect(deliveries.map((row) => row.endpoint_id).sort()).toEqual([everything.id, created.id].sort());
    const event = await db
      .selectFrom('events')
      .selectAll()
      .where('id', '=', eventId)
      .executeTakeFirstOrThrow();
    for (const row of deliveries) {
      expect(row).toMatchObject({ account_id: accountId, mode: 'test', state: 'pending', attempt_count: 0 });
      expect(Number(row.next_attempt_at)).toBe(Number(event.created_ms));
      expect(row.locked_until).toBeNull();
    }
    expect(JSON.parse(event.event).pending_webhooks).toBe(2);

    // A refused request records no event and owes nothing.
    const before = await db.selectFrom('webhook_deliveries').select('id').execute();
    const refused = await sandbox(key, '/v1/customers', { email: 'not an email' });
    expect(refused.status).toBe(400);
    expect(await db.selectFrom('webhook_deliveries').select('id').execute()).toEqual(before);
    // The other account's endpoint was owed nothing.
    expect(
      await db
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('account_id', '=', other.accountId)
        .execute(),
    ).toEqual([]);
  });

  it('POSTs the stored event, signed so that stripe-node accepts it, and records the answer', async () => {
    const { accountId, key } = await newAccount();
    const hook = await receiver(() => ({ status: 200, body: 'ok' }));
    const endpoint = await insertEndpoint(db, { accountId, url: hook.url });
    const bus = new RequestBus();
    const notices: DeliveryNotice[] = [];
    bus.subscribeDeliveries((notice) => notices.push(notice));
    const eventId = await customerCreated(key);

    expect(await worker({ bus }).runDue()).toBe(1);
    expect(hook.receipts).toHaveLength(1);
    const [receipt] = hook.receipts;
    const stored = await db
      .selectFrom('events')
      .select('event')
      .where('id', '=', eventId)
      .executeTakeFirstOrThrow();
    expect(receipt!.method).toBe('POST');
    expect(receipt!.path).toBe('/webhook');
    expect(receipt!.body).toBe(stored.event);
    expect(receipt!.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(receipt!.headers['user-agent']).toBe(USER_AGENT);
    const header = receipt!.headers['stripe-signature'] as string;
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const verified = Stripe.webhooks.constructEvent(receipt!.body, header, endpoint.secret);
    expect(verified.id).toBe(eventId);
    expect(() => Stripe.webhooks.constructEvent(receipt!.body, header, 'whsec_someone_else')).toThrow(
      /No signatures found matching the expected signature/,
    );

    const [delivery] = await deliveriesOf(eventId);
    expect(delivery).toMatchObject({
      state: 'succeeded',
      attempt_count: 1,
      next_attempt_at: null,
      locked_until: null,
    });
    const [attempt] = await attemptsOf(delivery!.id);
    expect(attempt).toMatchObject({
      attempt_number: 1,
      manual: 0,
      url: hook.url,
      status: 200,
      error: null,
      response_body: 'ok',
    });
    expect(notices).toEqual([
      expect.objectContaining({
        accountId,
        mode: 'test',
        eventId,
        eventType: 'customer.created',
        endpointId: endpoint.id,
        url: hook.url,
        status: 200,
        error: null,
        attempt: 1,
        succeeded: true,
      }),
    ]);
    // Nothing is sent twice.
    expect(await worker().runDue()).toBe(0);
    expect(hook.receipts).toHaveLength(1);
  });

  it('retries on the schedule it is given: a 500, then a timeout, then a 2xx ends it', async () => {
    const { accountId, key } = await newAccount();
    const answers = [{ status: 500, body: 'boom' }, 'hang' as const, { status: 204 }];
    const hook = await receiver((_, index) => answers[index] ?? { status: 418 });
    await insertEndpoint(db, { accountId, url: hook.url });
    const eventId = await customerCreated(key);
    const schedule = [60_000, 300_000];
    let clock = Date.now();
    const driven = worker({ retryDelaysMs: schedule, timeoutMs: 300, now: () => clock });
    const [delivery] = await deliveriesOf(eventId);

    expect(await driven.runDue()).toBe(1);
    expect(await deliveriesOf(eventId)).toEqual([
      expect.objectContaining({ state: 'pending', attempt_count: 1, next_attempt_at: clock + schedule[0]! }),
    ]);
    clock += schedule[0]! - 1;
    expect(await driven.runDue()).toBe(0);
    clock += 1;
    expect(await driven.runDue()).toBe(1);
    clock += schedule[1]! - 1;
    expect(await driven.runDue()).toBe(0);
    clock += 1;
    expect(await driven.runDue()).toBe(1);

    const attempts = await attemptsOf(delivery!.id);
    expect(attempts.map((row) => [row.attempt_number, row.status])).toEqual([
      [1, 500],
      [2, null],
      [3, 204],
    ]);
    expect(attempts[0]!.response_body).toBe('boom');
    expect(attempts[1]!.error).toBe('Timed out: no complete answer within 300 ms.');
    expect(attempts.filter((row) => row.status !== null && row.status < 300)).toHaveLength(1);
    const gaps = attempts.slice(1).map((row, i) => Number(row.created_ms) - Number(attempts[i]!.created_ms));
    expect(gaps).toEqual(schedule);
    expect(await deliveriesOf(eventId)).toEqual([
      expect.objectContaining({ state: 'succeeded', attempt_count: 3, next_attempt_at: null }),
    ]);
    expect(hook.receipts).toHaveLength(3);
  });

  it('gives up when the schedule is spent; a resend adds one attempt, marked manual, not a new schedule', async () => {
    const { accountId, key } = await newAccount();
    let failing = true;
    const hook = await receiver(() => (failing ? { status: 503 } : { status: 200 }));
    await insertEndpoint(db, { accountId, url: hook.url });
    const eventId = await customerCreated(key);
    let clock = Date.now();
    const driven = worker({ retryDelaysMs: [1000], now: () => clock });
    await driven.runDue();
    clock += 1000;
    await driven.runDue();
    const [failed] = await deliveriesOf(eventId);
    expect(failed).toMatchObject({ state: 'failed', attempt_count: 2, next_attempt_at: null });
    clock += 86_400_000;
    expect(await driven.runDue()).toBe(0);

    expect(await resendDelivery(db, { deliveryId: failed!.id, accountId, mode: 'test', now: clock })).toBe(
      true,
    );
    expect((await deliveriesOf(eventId))[0]).toMatchObject({
      state: 'pending',
      next_attempt_at: clock,
      resend_requested_at: clock,
      locked_until: null,
    });
    expect(await driven.runDue()).toBe(1);
    expect((await deliveriesOf(eventId))[0]).toMatchObject({
      state: 'failed',
      attempt_count: 3,
      next_attempt_at: null,
      resend_requested_at: null,
    });

    failing = false;
    await resendDelivery(db, { deliveryId: failed!.id, accountId, mode: 'test', now: clock });
    await driven.runDue();
    expect((await deliveriesOf(eventId))[0]).toMatchObject({ state: 'succeeded', attempt_count: 4 });
    // And a succeeded delivery can be resent too.
    await resendDelivery(db, { deliveryId: failed!.id, accountId, mode: 'test', now: clock });
    await driven.runDue();
    const attempts = await attemptsOf(failed!.id);
    expect(attempts.map((row) => [row.attempt_number, row.manual, row.status])).toEqual([
      [1, 0, 503],
      [2, 0, 503],
      [3, 1, 503],
      [4, 1, 200],
      [5, 1, 200],
    ]);
    expect(hook.receipts).toHaveLength(5);
  });

  it("refuses to resend another account's or another mode's delivery, changing nothing", async () => {
    const { accountId, key } = await newAccount();
    const intruder = await newAccount();
    await insertEndpoint(db, { accountId, url: 'https://hooks.example.com/webhook' });
    const eventId = await customerCreated(key);
    const [delivery] = await deliveriesOf(eventId);
    await db
      .updateTable('webhook_deliveries')
      .set({ state: 'succeeded', next_attempt_at: null, attempt_count: 1 })
      .where('id', '=', delivery!.id)
      .execute();
    const before = await deliveriesOf(eventId);
    const later = Date.now() + 5000;
    expect(
      await resendDelivery(db, {
        deliveryId: delivery!.id,
        accountId: intruder.accountId,
        mode: 'test',
        now: later,
      }),
    ).toBe(false);
    expect(await resendDelivery(db, { deliveryId: delivery!.id, accountId, mode: 'live', now: later })).toBe(
      false,
    );
    expect(
      await resendDelivery(db, { deliveryId: 'whd_doesnotexist00', accountId, mode: 'test', now: later }),
    ).toBe(false);
    expect(await deliveriesOf(eventId)).toEqual(before);
  });

  it('stops retrying once the endpoint is disabled; a deleted endpoint takes its deliveries with it', async () => {
    const { accountId, key } = await newAccount();
    const hook = await receiver(() => ({ status: 500 }));
    const kept = await insertEndpoint(db, { accountId, url: hook.url });
    const removed = await insertEndpoint(db, { accountId, url: hook.url });
    const eventId = await customerCreated(key);
    let clock = Date.now();
    const driven = worker({ retryDelaysMs: [1000, 1000], now: () => clock });
    expect(await driven.runDue()).toBe(2);
    expect(hook.receipts).toHaveLength(2);

    await db.updateTable('webhook_endpoints').set({ status: 'disabled' }).where('id', '=', kept.id).execute();
    await db.deleteFrom('webhook_endpoints').where('id', '=', removed.id).execute();
    clock += 1000;
    await driven.runDue();
    expect(hook.receipts).toHaveLength(2);
    const deliveries = await deliveriesOf(eventId);
    expect(deliveries).toEqual([
      expect.objectContaining({
        endpoint_id: kept.id,
        state: 'failed',
        attempt_count: 1,
        next_attempt_at: null,
      }),
    ]);
    expect(await attemptsOf(deliveries[0]!.id)).toHaveLength(1);
  });

  it('does not follow a redirect: a 3xx is a failed attempt and the other address hears nothing', async () => {
    const { accountId, key } = await newAccount();
    const elsewhere = await receiver();
    const hook = await receiver(() => ({ status: 302, headers: { location: elsewhere.url } }));
    await insertEndpoint(db, { accountId, url: hook.url });
    const eventId = await customerCreated(key);
    await worker().runDue();
    const [delivery] = await deliveriesOf(eventId);
    expect(delivery).toMatchObject({ state: 'pending', attempt_count: 1 });
    const [attempt] = await attemptsOf(delivery!.id);
    expect(attempt!.status).toBe(302);
    expect(attempt!.error).toBe(
      `Redirects are not followed: the handler answered 302 to ${elsewhere.url}. Use the final URL as the endpoint.`,
    );
    expect(hook.receipts).toHaveLength(1);
    expect(elsewhere.receipts).toHaveLength(0);
  });

  it('keeps only the first kilobyte of an answer, of a success and of a failure', async () => {
    const { accountId, key } = await newAccount();
    const long = 'é'.repeat(100) + 'x'.repeat(200_000);
    const ok = await receiver(() => ({ status: 200, body: long }));
    const broken = await receiver(() => ({ status: 500, body: long }));
    await insertEndpoint(db, { accountId, url: ok.url });
    await insertEndpoint(db, { accountId, url: broken.url });
    const eventId = await customerCreated(key);
    await worker().runDue();
    const bodies = new Map<string, string | null>();
    for (const delivery of await deliveriesOf(eventId))
      for (const attempt of await attemptsOf(delivery.id)) bodies.set(attempt.url, attempt.response_body);
    const firstKilobyte = Buffer.from(long).subarray(0, 1024).toString('utf8');
    expect(bodies.get(ok.url)).toBe(firstKilobyte);
    expect(bodies.get(broken.url)).toBe(firstKilobyte);
  });

  it('refuses private addresses when they are not allowed: a failed attempt, and no connection made', async () => {
    const { accountId, key } = await newAccount();
    const hook = await receiver();
    await insertEndpoint(db, { accountId, url: hook.url });
    await insertEndpoint(db, { accountId, url: 'http://metadata.hooks.test/latest' });
    await insertEndpoint(db, { accountId, url: 'ftp://hooks.example.com/webhook' });
    const eventId = await customerCreated(key);
    const lookup = async () => [{ address: '169.254.169.254', family: 4 }];
    await worker({ allowPrivate: false, lookup }).runDue();
    const errors = new Map<string, string | null>();
    for (const delivery of await deliveriesOf(eventId)) {
      expect(delivery).toMatchObject({ state: 'pending', attempt_count: 1 });
      for (const attempt of await attemptsOf(delivery.id)) {
        expect(attempt.status).toBeNull();
        errors.set(attempt.url, attempt.error);
      }
    }
    expect(errors.get(hook.url)).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+ is a loopback address\. This site does not send/,
    );
    expect(errors.get('http://metadata.hooks.test/latest')).toMatch(
      /is a link-local address \(where cloud metadata services live\) \(metadata\.hooks\.test resolves to 169\.254\.169\.254\)/,
    );
    expect(errors.get('ftp://hooks.example.com/webhook')).toBe(
      'Webhooks are sent over http or https, not ftp.',
    );
    expect(hook.receipts).toHaveLength(0);
  });

  it('connects to the address it checked, keeping the URL host in the Host header', async () => {
    const { accountId, key } = await newAccount();
    const hook = await receiver();
    const url = `http://hooks.example.test:${hook.port}/webhook`;
    await insertEndpoint(db, { accountId, url });
    await customerCreated(key);
    let resolutions = 0;
    const lookup = async () => {
      resolutions++;
      // A second resolution would give an address that was never checked (DNS rebinding).
      return [{ address: resolutions === 1 ? '127.0.0.1' : '203.0.113.9', family: 4 }];
    };
    await worker({ lookup }).runDue();
    expect(resolutions).toBe(1);
    expect(hook.receipts).toHaveLength(1);
    expect(hook.receipts[0]!.headers.host).toBe(`hooks.example.test:${hook.port}`);
  });

  it('does not look at its queue for an event the bus says owes no delivery, and does for one that does not say', async () => {
    const { accountId, key } = await newAccount();
    const hook = await receiver();
    await insertEndpoint(db, { accountId, url: hook.url });
    const bus = new RequestBus();
    const running = worker({ bus, pollMs: 3_600_000 });
    running.start();
    // The look start() takes finds nothing; this one queues behind it.
    expect(await running.runDue()).toBe(0);
    // Owed to the endpoint, but no notice told the worker (no bus given to the sandbox).
    const eventId = await customerCreated(key);
    const notice = {
      accountId,
      mode: 'test' as const,
      eventId,
      type: 'customer.created',
      createdMs: Date.now(),
    };
    bus.publishEvent({ ...notice, deliveries: 0 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(hook.receipts, 'a notice of no deliveries wakes nobody').toHaveLength(0);
    bus.publishEvent(notice);
    await eventually(async () => (hook.receipts.length === 1 ? true : undefined), 10_000, 'the delivery');
  });

  it('wakes when the bus says an event was recorded, and keeps at most `concurrency` attempts in flight', async () => {
    const { accountId, key } = await newAccount();
    const hook = await receiver(() => 'hang');
    await insertEndpoint(db, { accountId, url: hook.url });
    const bus = new RequestBus();
    // A poll far off: only the bus can make this worker look.
    const running = worker({ bus, pollMs: 3_600_000, concurrency: 3, timeoutMs: 60_000, stopGraceMs: 10 });
    running.start();
    for (let i = 0; i < 5; i++) await customerCreated(key, bus);
    await eventually(async () => (hook.receipts.length >= 3 ? true : undefined), 10_000, 'three deliveries');
    running.wake();
    const claimed = () =>
      db
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('account_id', '=', accountId)
        .where('locked_until', 'is not', null)
        .execute();
    expect(await claimed()).toHaveLength(3);
    expect(hook.receipts).toHaveLength(3);

    // Stopping cuts the hanging attempts and lets their deliveries go, spending no retry on them.
    await running.stop();
    expect(await claimed()).toHaveLength(0);
    const rows = await db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('account_id', '=', accountId)
      .execute();
    expect(rows).toHaveLength(5);
    for (const row of rows) expect(row).toMatchObject({ state: 'pending', attempt_count: 0 });
    expect(
      await db
        .selectFrom('webhook_attempts')
        .select('id')
        .where(
          'delivery_id',
          'in',
          rows.map((row) => row.id),
        )
        .execute(),
    ).toEqual([]);
  });

  it('lists events by whether their deliveries all succeeded (`delivery_success`)', async () => {
    const { accountId, key } = await newAccount();
    const ok = await receiver(() => ({ status: 200 }));
    const broken = await receiver(() => ({ status: 500 }));
    await insertEndpoint(db, { accountId, url: ok.url, enabledEvents: ['customer.created'] });
    await insertEndpoint(db, { accountId, url: broken.url, enabledEvents: ['customer.updated'] });
    const created = await customerCreated(key);
    const customer = await db
      .selectFrom('events')
      .select('object_id')
      .where('id', '=', created)
      .executeTakeFirstOrThrow();
    expect((await sandbox(key, `/v1/customers/${customer.object_id}`, { name: 'Jenny' })).status).toBe(200);
    expect(
      (await sandbox(key, `/v1/customers/${customer.object_id}`, undefined, undefined, 'DELETE')).status,
    ).toBe(200);
    await worker().runDue();
    const ids = async (success: string) => {
      const listed = await sandbox(
        key,
        `/v1/events?delivery_success=${success}`,
        undefined,
        undefined,
        'GET',
      );
      expect(listed.status).toBe(200);
      return (listed.body.data as { type: string }[]).map((event) => event.type);
    };
    expect(await ids('false')).toEqual(['customer.updated']);
    expect(await ids('true')).toEqual(['customer.deleted', 'customer.created']);
    expect(
      (await sandbox(key, '/v1/events?delivery_success=maybe', undefined, undefined, 'GET')).status,
    ).toBe(400);
  });
});
