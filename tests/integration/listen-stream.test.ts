import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needsPostgres, POSTGRES, type ScratchDatabase } from '../support/databases.ts';
import {
  accountState,
  createRestrictedKey,
  eventually,
  liveKeys,
  newReaderWithKeys,
  rollSecretKey,
  sdk,
  unknownSecretKey,
  type Reader,
} from '../support/sandbox.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { EventReader } from '../support/sse.ts';

/** The per-key ceiling on open listen streams (MAX_STREAMS_PER_READER). */
const STREAMS_PER_KEY = 3;

function listen(base: string, key: string | null, query = ''): Promise<Response> {
  return fetch(`${base}/v1/keyway/listen${query}`, {
    headers: key === null ? {} : { authorization: `Bearer ${key}` },
  });
}

async function openStream(base: string, key: string, query = ''): Promise<EventReader> {
  const response = await listen(base, key, query);
  if (response.status !== 200)
    throw new Error(`The stream answered ${response.status}: ${await response.text()}`);
  expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
  const reader = new EventReader(response);
  await reader.waitFor((message) => message.event === 'ready');
  return reader;
}

function postResult(base: string, key: string, body: string, headers: Record<string, string> = {}) {
  return fetch(`${base}/v1/keyway/listen/results`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    body,
  });
}

/** The ids of the `webhook` messages a stream has sent so far. */
const webhookIds = (stream: EventReader) =>
  stream.events
    .filter((message) => message.event === 'webhook')
    .map((message) => JSON.parse(message.data).id as string);

async function expectError(response: Response, status: number, message: RegExp, code?: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/json');
  const body = (await response.json()) as { error: { message: string; code?: string; type: string } };
  expect(body.error.type).toBe('invalid_request_error');
  expect(body.error.message).toMatch(message);
  if (code) expect(body.error.code).toBe(code);
}

describe('the keyway listen stream (SQLite)', () => {
  let server: RunningServer;
  let base: string;
  let reader: Reader;

  beforeAll(async () => {
    // A short heartbeat, so a rolled key's stream ends within the test.
    server = await startServer({ LIVE_STREAM_HEARTBEAT_MS: '200' });
    base = server.baseUrl;
    reader = await newReaderWithKeys(base);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('refuses a missing, forged, publishable, live or under-permitted key with the sandbox’s errors', async () => {
    await expectError(await listen(base, null), 401, /You did not provide an API key/);
    await expectError(await listen(base, unknownSecretKey()), 401, /Invalid API Key provided/);
    await expectError(await listen(base, 'x'.repeat(5000)), 401, /Invalid API Key provided/);
    await expectError(
      await listen(base, reader.publishableKey),
      403,
      /cannot be made with a publishable API key/,
      'secret_key_required',
    );
    const live = await liveKeys(reader);
    await expectError(await listen(base, live.secret), 403, /test mode/i);
    const noEvents = await createRestrictedKey(reader, { customers: 'write', events: 'none' });
    await expectError(await listen(base, noEvents), 403, /rak_event_read/);
    await expectError(
      await fetch(`${base}/v1/keyway/listen/secret`, { headers: { authorization: `Bearer ${noEvents}` } }),
      403,
      /rak_event_read/,
    );
    const readsEvents = await createRestrictedKey(reader, { customers: 'none', events: 'read' });
    (await openStream(base, readsEvents)).close();
  });

  it('gives each key its own signing secret, the same on the stream and from /secret, every time', async () => {
    const other = await newReaderWithKeys(base);
    const secretOf = async (key: string) => {
      const response = await fetch(`${base}/v1/keyway/listen/secret`, {
        headers: { authorization: `Bearer ${key}` },
      });
      expect(response.status).toBe(200);
      return ((await response.json()) as { secret: string }).secret;
    };
    const stream = await openStream(base, reader.secretKey);
    const ready = JSON.parse(stream.events[0]!.data) as { secret: string; events: string[] };
    stream.close();
    expect(ready.events).toEqual(['*']);
    expect(ready.secret).toMatch(/^whsec_[0-9A-Za-z]{24}$/);
    expect(await secretOf(reader.secretKey)).toBe(ready.secret);
    expect(await secretOf(reader.secretKey)).toBe(ready.secret);
    expect(await secretOf(other.secretKey)).not.toBe(ready.secret);
  });

  it('sends only the key’s own account’s events, of the types asked for, as stored', async () => {
    const other = await newReaderWithKeys(base);
    const all = await openStream(base, reader.secretKey);
    const updatesOnly = await openStream(base, reader.secretKey, '?events=customer.updated');
    const otherStream = await openStream(base, other.secretKey);
    try {
      await sdk(other.secretKey, base).customers.create({ email: 'other@example.com' });
      const mine = await sdk(reader.secretKey, base).customers.create({ email: 'mine@example.com' });
      await sdk(reader.secretKey, base).customers.update(mine.id, { name: 'Mine' });
      const events = await sdk(reader.secretKey, base).events.list({ limit: 2 });
      const [updated, created] = events.data;
      await all.waitFor((message) => message.event === 'webhook' && message.data.includes(updated!.id));
      expect(webhookIds(all)).toEqual([created!.id, updated!.id]);
      // The body is the event as the API returns it.
      const sent = all.events.find((message) => message.event === 'webhook')!;
      expect(JSON.parse(sent.data)).toEqual(JSON.parse(JSON.stringify(created)));
      expect(sent.data).not.toContain('\n');
      await updatesOnly.waitFor((message) => message.event === 'webhook');
      expect(webhookIds(updatesOnly)).toEqual([updated!.id]);
      await otherStream.waitFor((message) => message.event === 'webhook');
      expect(webhookIds(otherStream)).toHaveLength(1);
      expect(webhookIds(otherStream)).not.toContain(created!.id);
    } finally {
      for (const stream of [all, updatesOnly, otherStream]) stream.close();
    }
  });

  it('refuses an unknown event filter, naming it', async () => {
    for (const query of ['?events=customer.created,charge.succeeded', '?events=customer.*']) {
      await expectError(await listen(base, reader.secretKey, query), 400, /is not an event type/);
    }
    const response = await listen(base, reader.secretKey, '?events=charge.succeeded');
    const body = (await response.json()) as { error: { message: string; param: string } };
    expect(body.error.message).toContain('"charge.succeeded"');
    expect(body.error.param).toBe('events');
    const many = Array.from({ length: 60 }, () => 'customer.created,*').join(',');
    expect((await listen(base, reader.secretKey, `?events=${many}`)).status).toBe(200);
  });

  it(`holds at most ${STREAMS_PER_KEY} streams per key, and frees a slot when one closes`, async () => {
    const holder = await newReaderWithKeys(base);
    const open = [];
    for (let i = 0; i < STREAMS_PER_KEY; i++) open.push(await openStream(base, holder.secretKey));
    await expectError(
      await listen(base, holder.secretKey),
      429,
      /Too many keyway listen sessions for this API key/,
    );
    // Another key is counted on its own.
    const other = await openStream(base, reader.secretKey);
    other.close();
    open.pop()!.close();
    const again = await eventually(async () => {
      const response = await listen(base, holder.secretKey);
      if (response.status === 200) return new EventReader(response);
      await response.body?.cancel();
      return undefined;
    });
    again.close();
    for (const stream of open) stream.close();
  });

  it('ends the stream, saying why, once its key is rolled and expires', async () => {
    const rolled = await newReaderWithKeys(base);
    const oldKey = rolled.secretKey;
    const stream = await openStream(base, oldKey);
    await rollSecretKey(rolled, 'now');
    const end = await stream.waitFor((message) => message.event === 'end');
    expect(JSON.parse(end.data).message).toMatch(/expired/i);
    await stream.ended;
    await expectError(await listen(base, oldKey), 401, /expired/i, 'api_key_expired');
  });

  it('a guest’s sample key can listen', async () => {
    const page = await (await fetch(`${base}/docs/first-request`)).text();
    const sampleKey = /sk_test_[0-9A-Za-z]{24}/.exec(page)![0];
    const stream = await openStream(base, sampleKey);
    const customer = await sdk(sampleKey, base).customers.create({ email: 'guest@example.com' });
    const sent = await stream.waitFor((message) => message.event === 'webhook');
    expect(JSON.parse(sent.data).data.object.id).toBe(customer.id);
    stream.close();
  });

  it('refuses malformed, oversized and foreign results, changing nothing', async () => {
    const other = await newReaderWithKeys(base);
    const mine = await sdk(reader.secretKey, base).customers.create({ email: 'result@example.com' });
    const [event] = (await sdk(reader.secretKey, base).events.list({ limit: 1 })).data;
    expect((event!.data.object as { id: string }).id).toBe(mine.id);
    const valid = {
      event_id: event!.id,
      url: 'http://localhost:3000/webhook',
      status: 200,
      error: null,
      duration_ms: 12,
    };
    const before = await accountState(base, reader.secretKey);
    const cases: Array<[string, number, RegExp]> = [
      ['not json', 400, /Invalid JSON/],
      ['[]', 400, /Invalid JSON/],
      [JSON.stringify({ ...valid, extra: 1 }), 400, /unknown parameter: extra/],
      [JSON.stringify({ ...valid, event_id: 'cus_123' }), 400, /Invalid event_id/],
      [JSON.stringify({ ...valid, url: 'x'.repeat(3000) }), 400, /Invalid url/],
      [JSON.stringify({ ...valid, status: 99 }), 400, /Invalid status/],
      [JSON.stringify({ ...valid, status: null }), 400, /either status/],
      [JSON.stringify({ ...valid, error: 'and a status' }), 400, /either status/],
      [JSON.stringify({ ...valid, duration_ms: -1 }), 400, /Invalid duration_ms/],
      [JSON.stringify({ ...valid, error: 'x'.repeat(9000), status: null }), 413, /larger than 8192 bytes/],
    ];
    for (const [body, status, message] of cases) {
      await expectError(await postResult(base, reader.secretKey, body), status, message);
    }
    // Another account's event is not found, as the sandbox answers for any object it will not show.
    await expectError(
      await postResult(base, other.secretKey, JSON.stringify(valid)),
      404,
      /No such event/,
      'resource_missing',
    );
    await expectError(
      await postResult(base, unknownSecretKey(), JSON.stringify(valid)),
      401,
      /Invalid API Key/,
    );
    const wrongMethod = await fetch(`${base}/v1/keyway/listen/results`, {
      headers: { authorization: `Bearer ${reader.secretKey}` },
    });
    await expectError(wrongMethod, 405, /does not accept GET/);
    expect(await accountState(base, reader.secretKey)).toBe(before);
    const accepted = await postResult(base, reader.secretKey, JSON.stringify(valid));
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toEqual({ object: 'listen_result', event_id: event!.id, succeeded: true });
  });
});

describe('keyway listen results on the bus (PostgreSQL)', needsPostgres, () => {
  let scratch: ScratchDatabase;
  let server: RunningServer;

  beforeAll(async () => {
    scratch = await POSTGRES.create();
    server = await startServer({ DATABASE_URL: scratch.url });
  });
  afterAll(async () => {
    await server?.stop();
    await scratch?.drop();
  });

  it('publishes a forward’s result for the key’s own event only', async () => {
    const owner = await newReaderWithKeys(server.baseUrl);
    const intruder = await newReaderWithKeys(server.baseUrl);
    await sdk(owner.secretKey, server.baseUrl).customers.create({ email: 'bus@example.com' });
    const [event] = (await sdk(owner.secretKey, server.baseUrl).events.list({ limit: 1 })).data;
    const bus = new pg.Client({ connectionString: scratch.url });
    await bus.connect();
    const notices: Array<Record<string, unknown>> = [];
    bus.on('notification', (message) =>
      notices.push(JSON.parse(message.payload!) as Record<string, unknown>),
    );
    await bus.query('LISTEN keyway_deliveries');
    try {
      const result = (status: number | null) =>
        JSON.stringify({
          event_id: event!.id,
          url: 'http://localhost:3000/webhook',
          status,
          error: status === null ? 'connect ECONNREFUSED 127.0.0.1:3000' : null,
          duration_ms: 3,
        });
      expect((await postResult(server.baseUrl, intruder.secretKey, result(200))).status).toBe(404);
      expect((await postResult(server.baseUrl, owner.secretKey, '{"event_id":1}')).status).toBe(400);
      expect((await postResult(server.baseUrl, owner.secretKey, result(null))).status).toBe(200);
      await eventually(async () => (notices.length > 0 ? true : undefined), 10_000, 'a delivery notice');
      expect(notices).toEqual([
        expect.objectContaining({
          accountId: expect.any(String),
          eventId: event!.id,
          eventType: 'customer.created',
          endpointId: null,
          status: null,
          error: 'connect ECONNREFUSED 127.0.0.1:3000',
          succeeded: false,
          attempt: 1,
        }),
      ]);
    } finally {
      await bus.end();
    }
  });
});
