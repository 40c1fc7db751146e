import type { Kysely } from 'kysely';
import { afterEach, beforeAll, expect, it } from 'vitest';
import type { Database } from '../../src/lib/db/schema.ts';
import { activateGuest } from '../../src/lib/guests/guest-sandbox.ts';
import { sha256Hex } from '../../src/lib/crypto.ts';
import { RequestBus, type DeliveryNotice, type RequestNotice } from '../../src/lib/live/request-bus.ts';
import { StreamHub, type LiveStream } from '../../src/lib/live/stream-hub.ts';
import { describeEachDatabase, useScratchDatabase } from '../support/databases.ts';

/**
 * Webhook delivery notices on the reader's live stream: the guide's last step turns green from
 * them, so they must reach the reader's own streams, as their own event type, and nobody else's.
 */

/** A stream that keeps everything it is sent but keep-alives. */
function recordingStream(hub: () => StreamHub): LiveStream & { sent: string[] } {
  const sent: string[] = [];
  const stream: LiveStream & { sent: string[] } = {
    member: null,
    sent,
    send: (text) => {
      if (!text.startsWith(':')) sent.push(text);
    },
    end: () => hub().remove(stream),
  };
  return stream;
}

function delivery(
  accountId: string,
  eventId: string,
  overrides: Partial<DeliveryNotice> = {},
): DeliveryNotice {
  return {
    accountId,
    mode: 'test',
    eventId,
    eventType: 'customer.created',
    endpointId: null,
    url: 'http://localhost:3000/webhook',
    status: 200,
    error: null,
    durationMs: 12,
    attempt: 1,
    succeeded: true,
    createdMs: Date.now(),
    ...overrides,
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 100));
const KEY_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const randomKey = (prefix: string) =>
  prefix + Array.from({ length: 24 }, () => KEY_CHARS[Math.floor(Math.random() * 62)]).join('');

describeEachDatabase('webhook deliveries on live streams on $name', (kind) => {
  const database = useScratchDatabase(kind);
  let db: Kysely<Database>;
  let hub: StreamHub;
  let bus: RequestBus;
  const streams: LiveStream[] = [];
  beforeAll(() => {
    db = database();
  });
  const newHub = () => {
    bus = new RequestBus();
    hub = new StreamHub(db, bus, { heartbeatMs: 60_000, idleMs: 600_000 });
  };
  const open = (source: { accountId: string } | { guestKeyHash: string }) => {
    const stream = recordingStream(() => hub);
    streams.push(stream);
    hub.add(stream, source);
    return stream;
  };
  afterEach(() => {
    for (const stream of streams.splice(0)) stream.end();
  });

  it("reaches the account's own streams as a `delivery` event, never another account's or a live one", async () => {
    newHub();
    const mine = open({ accountId: 'acct_mine' });
    const mineElsewhere = open({ accountId: 'acct_mine' });
    const stranger = open({ accountId: 'acct_stranger' });
    bus.publishDelivery(delivery('acct_mine', 'evt_mine', { status: 400, succeeded: false }));
    bus.publishDelivery(delivery('acct_mine', 'evt_live', { mode: 'live' }));
    bus.publishDelivery(delivery('acct_other', 'evt_other'));
    await settle();
    for (const stream of [mine, mineElsewhere]) {
      expect(stream.sent).toHaveLength(1);
      const [head, data] = stream.sent[0]!.split('\n');
      expect(head).toBe('event: delivery');
      expect(JSON.parse(data!.slice('data: '.length))).toMatchObject({
        eventId: 'evt_mine',
        status: 400,
        succeeded: false,
      });
    }
    expect(stranger.sent).toEqual([]);
  });

  it('leaves request notices as they were, beside delivery notices', async () => {
    newHub();
    const mine = open({ accountId: 'acct_both' });
    const request: RequestNotice = {
      accountId: 'acct_both',
      mode: 'test',
      requestId: 'req_both',
      method: 'POST',
      path: '/v1/customers',
      operation: 'create-customer',
      status: 200,
      source: 'cli',
      objectId: 'cus_both',
      errorCode: null,
      errorMessage: null,
      createdMs: Date.now(),
    };
    bus.publish(request);
    bus.publishDelivery(delivery('acct_both', 'evt_both'));
    await settle();
    expect(mine.sent.map((text) => text.split('\n')[0])).toEqual(['event: request', 'event: delivery']);
  });

  it("reaches an anonymous reader waiting for their guest sandbox, and not another guest's reader", async () => {
    newHub();
    const keys = { secretKey: randomKey('sk_test_'), publishableKey: randomKey('pk_test_') };
    const waiting = open({ guestKeyHash: sha256Hex(keys.secretKey) });
    const otherGuest = open({ guestKeyHash: sha256Hex(randomKey('sk_test_')) });
    const guest = await activateGuest(db, keys, '198.51.100.9');
    if (!guest.ok) throw new Error('guest activation failed');
    bus.publishDelivery(delivery(guest.accountId, 'evt_guest'));
    await settle();
    expect(waiting.sent).toHaveLength(1);
    expect(waiting.sent[0]).toContain('evt_guest');
    expect(otherGuest.sent).toEqual([]);
  });
});
