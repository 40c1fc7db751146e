import type { Kysely, KyselyPlugin } from 'kysely';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../src/lib/auth/accounts.ts';
import { sha256Hex } from '../../src/lib/crypto.ts';
import type { Database } from '../../src/lib/db/schema.ts';
import { activateGuest } from '../../src/lib/guests/guest-sandbox.ts';
import { RequestBus, type RequestNotice } from '../../src/lib/live/request-bus.ts';
import { StreamHub, type LiveStream } from '../../src/lib/live/stream-hub.ts';
import { describeEachDatabase, useScratchDatabase } from '../support/databases.ts';

/**
 * The hub that routes request notices to open live streams: what a notice costs must not
 * grow with the number of streams open, so it is counted here in queries, not in time.
 */

/** A plugin that counts the queries a Kysely instance runs. */
function queryCounter(): { plugin: KyselyPlugin; count: () => number } {
  let queries = 0;
  return {
    plugin: {
      transformQuery: ({ node }) => {
        queries++;
        return node;
      },
      transformResult: async ({ result }) => result,
    },
    count: () => queries,
  };
}

/** A stream that keeps the notices it is sent. */
function recordingStream(hub: () => StreamHub): LiveStream & { notices: string[] } {
  const notices: string[] = [];
  const stream: LiveStream & { notices: string[] } = {
    member: null,
    notices,
    send: (text) => {
      if (text.startsWith('event: request') || text.startsWith('event: sandbox-event')) notices.push(text);
    },
    end: () => hub().remove(stream),
  };
  return stream;
}

function notice(accountId: string, requestId: string): RequestNotice {
  return {
    accountId,
    mode: 'test',
    requestId,
    method: 'POST',
    path: '/v1/customers',
    operation: 'create-customer',
    status: 200,
    source: 'api',
    objectId: null,
    errorCode: null,
    errorMessage: null,
    createdMs: Date.now(),
  };
}

/** Lets the hub's lookups (promises) settle. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

const KEY_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const randomKey = (prefix: string) =>
  prefix + Array.from({ length: 24 }, () => KEY_CHARS[Math.floor(Math.random() * 62)]).join('');

describeEachDatabase('live stream routing on $name', (kind) => {
  const database = useScratchDatabase(kind);
  let db: Kysely<Database>;
  let counter: ReturnType<typeof queryCounter>;
  let hub: StreamHub;
  let bus: RequestBus;
  const streams: LiveStream[] = [];
  beforeAll(() => {
    db = database();
  });
  const newHub = () => {
    counter = queryCounter();
    bus = new RequestBus();
    hub = new StreamHub(db.withPlugin(counter.plugin), bus, { heartbeatMs: 60_000, idleMs: 600_000 });
  };
  afterEach(() => {
    for (const stream of streams.splice(0)) stream.end();
  });

  it("delivers a notice to its account's streams only, without a query, however many are open", async () => {
    newHub();
    const byAccount = Array.from({ length: 300 }, (_, index) => {
      const stream = recordingStream(() => hub);
      streams.push(stream);
      hub.add(stream, { accountId: `acct_${index}` });
      return stream;
    });
    bus.publish(notice('acct_7', 'req_for_seven'));
    bus.publish({ ...notice('acct_8', 'req_live'), mode: 'live' });
    await settle();
    expect(byAccount[7]!.notices).toHaveLength(1);
    expect(byAccount[7]!.notices[0]).toContain('req_for_seven');
    expect(byAccount.filter((stream) => stream.notices.length > 0)).toHaveLength(1);
    expect(counter.count()).toBe(0);
  });

  it("tells an account's streams of its sandbox's test events, and no other account's, nor of live ones", async () => {
    newHub();
    const [mine, theirs] = ['acct_events_1', 'acct_events_2'].map((accountId) => {
      const stream = recordingStream(() => hub);
      streams.push(stream);
      hub.add(stream, { accountId });
      return stream;
    });
    const event = {
      accountId: 'acct_events_1',
      mode: 'test' as const,
      type: 'customer.created',
      createdMs: 1,
    };
    bus.publishEvent({ ...event, eventId: 'evt_mine' });
    bus.publishEvent({ ...event, eventId: 'evt_live', mode: 'live' });
    await settle();
    expect(mine!.notices).toEqual([
      'event: sandbox-event\ndata: {"id":"evt_mine","type":"customer.created","createdMs":1}\n\n',
    ]);
    expect(theirs!.notices).toEqual([]);
  });

  it('finds a waiting guest sandbox with one query per notice, not per stream, and remembers accounts', async () => {
    newHub();
    const keys = { secretKey: randomKey('sk_test_'), publishableKey: randomKey('pk_test_') };
    const waiting = recordingStream(() => hub);
    streams.push(waiting);
    hub.add(waiting, { guestKeyHash: sha256Hex(keys.secretKey) });
    for (let index = 0; index < 100; index++) {
      const other = recordingStream(() => hub);
      streams.push(other);
      hub.add(other, { guestKeyHash: sha256Hex(randomKey('sk_test_')) });
    }

    const member = await signUp(db, {
      email: `hub.${Date.now()}.${kind.name}@example.com`,
      password: 'correct horse battery',
    });
    if (!member.ok) throw new Error('sign-up failed');
    bus.publish(notice(member.accountId, 'req_member_1'));
    await settle();
    expect(counter.count()).toBe(1);
    bus.publish(notice(member.accountId, 'req_member_2'));
    await settle();
    expect(counter.count(), 'a member account is remembered as no guest').toBe(1);

    const guest = await activateGuest(db, keys, '198.51.100.7');
    if (!guest.ok) throw new Error('guest activation failed');
    bus.publish(notice(guest.accountId, 'req_guest_1'));
    await settle();
    expect(counter.count()).toBe(2);
    bus.publish(notice(guest.accountId, 'req_guest_2'));
    await settle();
    expect(counter.count(), 'the stream is filed under its guest now').toBe(2);
    expect(waiting.notices.map((text) => /id: (\S+)/.exec(text)![1])).toEqual(['req_guest_1', 'req_guest_2']);
  });

  it("tells a refused sample key's reader, waiting for a guest sandbox, and no one else, without the key's hash", async () => {
    newHub();
    const key = randomKey('sk_test_');
    const waiting = recordingStream(() => hub);
    const other = recordingStream(() => hub);
    const member = recordingStream(() => hub);
    streams.push(waiting, other, member);
    hub.add(waiting, { guestKeyHash: sha256Hex(key) });
    hub.add(other, { guestKeyHash: sha256Hex(randomKey('sk_test_')) });
    hub.add(member, { accountId: 'acct_member' });

    bus.publish({
      ...notice('acct_member', 'req_refused'),
      accountId: null,
      guestKeyHash: sha256Hex(key),
      status: 429,
    });
    bus.publish({ ...notice('acct_member', 'req_unrouted'), accountId: null });
    await settle();
    expect(waiting.notices).toHaveLength(1);
    expect(waiting.notices[0]).toContain('"status":429');
    expect(waiting.notices[0]).not.toContain(sha256Hex(key));
    expect(other.notices).toEqual([]);
    expect(member.notices).toEqual([]);
    expect(counter.count(), 'routed by one map lookup').toBe(0);
  });
});
