import { readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/lib/config/database-url.ts';
import type { Database, KeyMode, Role } from '../../src/lib/db/schema.ts';
import { sampleKeySecret } from '../../src/lib/keys/sample-key-secret.ts';
import { RequestBus, type DeliveryNotice } from '../../src/lib/live/request-bus.ts';
import { STANDINS } from '../../src/lib/page-template/standins.ts';
import { listenSigningSecret } from '../../src/lib/webhooks/secrets.ts';
import { needsPostgres, POSTGRES, openMigrated, type ScratchDatabase } from '../support/databases.ts';
import { CookieJar, SECRET_KEY_PATTERN, distinct, sendTo } from '../support/http.ts';
import { EventReader } from '../support/sse.ts';
import { startServer, type RunningServer } from '../support/server.ts';

const WHSEC = /whsec_[0-9A-Za-z]{24,32}/g;

/**
 * The dashboard's webhook pages, Resend, the guide's per-reader signing secret and delivery
 * notices on the live stream, against a real server. PostgreSQL, so the test can write rows
 * the server reads and publish bus notices the server hears (NOTIFY), as the delivery worker
 * and `keyway listen` will.
 */
describe('webhooks in the dashboard and the guide', needsPostgres, () => {
  let scratch: ScratchDatabase;
  let server: RunningServer;
  let db: Kysely<Database>;
  let bus: RequestBus;
  let people = 0;

  beforeAll(async () => {
    scratch = await POSTGRES.create();
    server = await startServer({ DATABASE_URL: scratch.url });
    db = await openMigrated(scratch.url);
    bus = new RequestBus();
    await bus.connect(parseDatabaseUrl(scratch.url));
  });
  afterAll(async () => {
    await bus?.close();
    await server?.stop();
    await db?.destroy();
    await scratch?.drop();
  });

  const send = (path: string, jar: CookieJar, fields?: Record<string, string>) =>
    sendTo(server.baseUrl, path, jar, fields);
  const html = async (path: string, jar: CookieJar) => (await send(path, jar)).text();

  /** A new owner of a new account: their session, account id and user id. */
  async function owner() {
    const jar = new CookieJar();
    const email = `webhooks${++people}.${process.pid}.${Date.now()}@example.com`;
    const signUp = await send('/signup', jar, { email, password: 'correct horse battery' });
    expect(signUp.status).toBe(303);
    const row = await db
      .selectFrom('users')
      .innerJoin('memberships', 'memberships.user_id', 'users.id')
      .select(['users.id as userId', 'memberships.account_id as accountId'])
      .where('users.email', '=', email)
      .executeTakeFirstOrThrow();
    return { jar, ...row };
  }

  /** A member of `accountId` with `role`: a new user whose session works with that account. */
  async function memberOf(accountId: string, role: Role) {
    const person = await owner();
    await db
      .insertInto('memberships')
      .values({ account_id: accountId, user_id: person.userId, role, created_at: Date.now() })
      .execute();
    await db
      .updateTable('sessions')
      .set({ account_id: accountId })
      .where('user_id', '=', person.userId)
      .execute();
    return person;
  }

  let ids = 0;
  const id = (prefix: string) => `${prefix}_${String(++ids).padStart(6, '0')}${process.pid}wh${Date.now()}`;

  /** An endpoint with one event delivered to it: a failed scheduled attempt, then a manual success. */
  async function seed(accountId: string, mode: KeyMode = 'test') {
    const now = Date.now();
    const endpointId = id('we');
    const eventId = id('evt');
    const deliveryId = id('wd');
    const secret = `whsec_${'S'.repeat(20)}${String(ids).padStart(12, '0')}`;
    await db
      .insertInto('webhook_endpoints')
      .values({
        id: endpointId,
        account_id: accountId,
        mode,
        url: `https://hooks.example.com/${endpointId}`,
        description: 'Order service',
        enabled_events: JSON.stringify(['customer.created', 'customer.updated']),
        metadata: JSON.stringify({ team: 'billing' }),
        status: 'enabled',
        api_version: null,
        secret,
        created: Math.floor(now / 1000),
        created_ms: now,
      })
      .execute();
    await db
      .insertInto('events')
      .values({
        id: eventId,
        account_id: accountId,
        mode,
        type: 'customer.created',
        object_id: 'cus_webhook000000',
        request_id: null,
        created: Math.floor(now / 1000),
        created_ms: now,
        event: JSON.stringify({ id: eventId, object: 'event', type: 'customer.created' }),
      })
      .execute();
    await db
      .insertInto('webhook_deliveries')
      .values({
        id: deliveryId,
        endpoint_id: endpointId,
        event_id: eventId,
        account_id: accountId,
        mode,
        state: 'failed',
        attempt_count: 2,
        next_attempt_at: null,
        locked_until: now + 60_000,
        resend_requested_at: null,
        created_ms: now,
        updated_ms: now,
      })
      .execute();
    await db
      .insertInto('webhook_attempts')
      .values([
        {
          id: id('wa'),
          delivery_id: deliveryId,
          attempt_number: 1,
          manual: 0,
          url: `https://hooks.example.com/${endpointId}`,
          status: null,
          error: 'connect ECONNREFUSED 203.0.113.7:443',
          duration_ms: 4,
          response_body: null,
          created_ms: now - 2000,
        },
        {
          id: id('wa'),
          delivery_id: deliveryId,
          attempt_number: 2,
          manual: 1,
          url: `https://hooks.example.com/${endpointId}`,
          status: 500,
          error: null,
          duration_ms: 31,
          response_body: '<b>boom</b> {"error":"db down"}',
          created_ms: now - 1000,
        },
      ])
      .execute();
    return { endpointId, eventId, deliveryId, secret };
  }

  const deliveryRow = (deliveryId: string) =>
    db.selectFrom('webhook_deliveries').selectAll().where('id', '=', deliveryId).executeTakeFirstOrThrow();

  it("lists the mode's endpoints, and an endpoint's page shows its details, deliveries and attempts", async () => {
    const me = await owner();
    const test = await seed(me.accountId, 'test');
    const live = await seed(me.accountId, 'live');
    const list = await html('/dashboard/webhooks', me.jar);
    expect(list).toContain(`href="/dashboard/webhooks/${test.endpointId}"`);
    expect(list).toContain('customer.created, customer.updated');
    expect(list).not.toContain(live.endpointId);
    expect(list).toContain('aria-current="page">Webhooks');

    const liveJar = new CookieJar();
    for (const [name, value] of me.jar.cookies) liveJar.cookies.set(name, value);
    liveJar.cookies.set('kw_mode', 'live');
    const liveList = await html('/dashboard/webhooks', liveJar);
    expect(liveList).toContain(live.endpointId);
    expect(liveList).not.toContain(test.endpointId);

    const page = await html(`/dashboard/webhooks/${test.endpointId}`, me.jar);
    const text = page.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(text).toContain(`https://hooks.example.com/${test.endpointId} Enabled`);
    expect(text).toContain('Description Order service');
    expect(text).toContain('team : billing');
    expect(page).toContain(`href="/dashboard/events/${test.eventId}"`);
    expect(text).toContain('Failed');
    expect(text).toContain('Attempts 2');
    expect(text).toContain('Last answer 500');
    expect(text).toContain('Next try None: finished');
    expect(text).toContain('Show 2 attempts');
    expect(text).toContain('Scheduled');
    expect(text).toContain('Manual resend');
    expect(text).toContain('connect ECONNREFUSED 203.0.113.7:443');
    // The handler's answer is shown as text, never as markup.
    expect(page).toContain('&lt;b&gt;boom&lt;/b&gt;');
    expect(page).not.toContain('<b>boom</b>');
    // The owner may reveal the secret; it sits in a closed disclosure, masked until opened.
    expect(page).toMatch(/<details class="kw-reveal" data-kw-secret-reveal[^>]*>/);
    expect(page).toContain(test.secret);
    expect(page).toContain(`whsec_…${test.secret.slice(-4)}`);
    expect(page).not.toContain(live.secret);

    const event = await html(`/dashboard/events/${test.eventId}`, me.jar);
    expect(event).toContain('Webhook deliveries');
    expect(event).toContain(`href="/dashboard/webhooks/${test.endpointId}"`);
    expect(event).toContain(`data-delivery-id="${test.deliveryId}"`);
  });

  it('says how to receive events when there is no endpoint, and when an event was owed to none', async () => {
    const me = await owner();
    const text = (await html('/dashboard/webhooks', me.jar)).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(text).toContain('No webhook endpoints in test mode yet');
    expect(text).toContain('keyway listen --forward-to localhost:3000/webhook');
    expect(text).toContain('POST /v1/webhook_endpoints');
    const { eventId } = await seed(me.accountId);
    await db.deleteFrom('webhook_deliveries').where('event_id', '=', eventId).execute();
    expect(await html(`/dashboard/events/${eventId}`, me.jar)).toContain(
      'No webhook endpoint was owed this event',
    );
  });

  it('resends a delivery: back in the queue now, lease dropped, marked as asked for', async () => {
    const me = await owner();
    const { endpointId, deliveryId } = await seed(me.accountId);
    const before = Date.now();
    const response = await send(`/dashboard/webhooks/${endpointId}`, me.jar, {
      intent: 'resend',
      delivery_id: deliveryId,
    });
    const page = await response.text();
    expect(response.status).toBe(200);
    expect(page).toContain('Resend queued');
    const row = await deliveryRow(deliveryId);
    expect(row.state).toBe('pending');
    expect(row.locked_until).toBeNull();
    expect(Number(row.resend_requested_at)).toBeGreaterThanOrEqual(before);
    expect(Number(row.next_attempt_at)).toBe(Number(row.resend_requested_at));
    expect(page.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')).toContain('Next try Resend queued');
  });

  it("never shows or resends another account's endpoint or delivery, and changes nothing trying", async () => {
    const victim = await owner();
    const stranger = await owner();
    const target = await seed(victim.accountId);
    const own = await seed(stranger.accountId);
    const before = await deliveryRow(target.deliveryId);

    expect((await send(`/dashboard/webhooks/${target.endpointId}`, stranger.jar)).status).toBe(404);
    expect((await send(`/dashboard/events/${target.eventId}`, stranger.jar)).status).toBe(404);
    const list = await html('/dashboard/webhooks', stranger.jar);
    expect(list).not.toContain(target.endpointId);
    expect(await html(`/dashboard/webhooks/${own.endpointId}`, stranger.jar)).not.toContain(target.secret);

    // The victim's delivery id posted to the stranger's own pages, and to the victim's.
    for (const path of [`/dashboard/webhooks/${own.endpointId}`, `/dashboard/events/${own.eventId}`]) {
      const response = await send(path, stranger.jar, { intent: 'resend', delivery_id: target.deliveryId });
      expect(response.status, path).toBe(404);
      expect(await response.text()).toContain('That delivery does not exist');
    }
    const direct = await send(`/dashboard/webhooks/${target.endpointId}`, stranger.jar, {
      intent: 'resend',
      delivery_id: target.deliveryId,
    });
    expect(direct.status).toBe(404);
    expect(await deliveryRow(target.deliveryId)).toEqual(before);
  });

  it('lets a viewer see deliveries but neither resend nor reveal; a developer resends test ones only', async () => {
    const boss = await owner();
    const test = await seed(boss.accountId, 'test');
    const live = await seed(boss.accountId, 'live');
    const viewer = await memberOf(boss.accountId, 'viewer');
    const developer = await memberOf(boss.accountId, 'developer');
    const testBefore = await deliveryRow(test.deliveryId);
    const liveBefore = await deliveryRow(live.deliveryId);

    const seen = await html(`/dashboard/webhooks/${test.endpointId}`, viewer.jar);
    expect(seen).toContain(`data-delivery-id="${test.deliveryId}"`);
    expect(seen).not.toContain('name="intent" value="resend"');
    expect(seen).not.toContain(test.secret);
    const refused = await send(`/dashboard/webhooks/${test.endpointId}`, viewer.jar, {
      intent: 'resend',
      delivery_id: test.deliveryId,
    });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('may view deliveries but not resend them');
    expect(await deliveryRow(test.deliveryId)).toEqual(testBefore);

    const livePage = await html(`/dashboard/webhooks/${live.endpointId}`, developer.jar);
    expect(livePage).not.toContain(live.secret);
    expect(livePage).not.toContain('name="intent" value="resend"');
    const liveRefused = await send(`/dashboard/webhooks/${live.endpointId}`, developer.jar, {
      intent: 'resend',
      delivery_id: live.deliveryId,
    });
    expect(liveRefused.status).toBe(403);
    expect(await deliveryRow(live.deliveryId)).toEqual(liveBefore);
    // A live delivery posted on a test endpoint's page is not this mode's: refused as unknown.
    const crossMode = await send(`/dashboard/webhooks/${test.endpointId}`, developer.jar, {
      intent: 'resend',
      delivery_id: live.deliveryId,
    });
    expect(crossMode.status).toBe(404);
    expect(await deliveryRow(live.deliveryId)).toEqual(liveBefore);

    expect(await html(`/dashboard/webhooks/${test.endpointId}`, developer.jar)).toContain(test.secret);
    const allowed = await send(`/dashboard/webhooks/${test.endpointId}`, developer.jar, {
      intent: 'resend',
      delivery_id: test.deliveryId,
    });
    expect(allowed.status).toBe(200);
    expect((await deliveryRow(test.deliveryId)).state).toBe('pending');
  });

  it('answers malformed, unknown and oversized posts with a clear refusal, changing nothing', async () => {
    const me = await owner();
    const { endpointId, deliveryId } = await seed(me.accountId);
    const before = await deliveryRow(deliveryId);
    const path = `/dashboard/webhooks/${endpointId}`;
    const unknown = await send(path, me.jar, { intent: 'delete-everything', delivery_id: deliveryId });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('That action is not one this page knows.');
    const missing = await send(path, me.jar, { intent: 'resend' });
    expect(missing.status).toBe(404);
    const huge = await send(path, me.jar, {
      intent: 'resend',
      delivery_id: `${deliveryId}${'x'.repeat(50_000)}`,
    });
    expect(huge.status).toBe(404);
    const json = await fetch(`${server.baseUrl}${path}`, {
      method: 'POST',
      headers: { cookie: me.jar.header(), origin: server.baseUrl, 'content-type': 'application/json' },
      body: JSON.stringify({ intent: 'resend', delivery_id: deliveryId }),
    });
    expect(json.status).toBe(400);
    expect(await deliveryRow(deliveryId)).toEqual(before);
  });

  it('refuses a resend forged from another site, and one without a session', async () => {
    const me = await owner();
    const { endpointId, deliveryId } = await seed(me.accountId);
    const before = await deliveryRow(deliveryId);
    const forged = async (headers: Record<string, string>) =>
      fetch(`${server.baseUrl}/dashboard/webhooks/${endpointId}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: me.jar.header(), 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams({ intent: 'resend', delivery_id: deliveryId }),
      });
    expect((await forged({ origin: 'https://evil.example' })).status).toBe(403);
    expect((await forged({ 'sec-fetch-site': 'cross-site', origin: server.baseUrl })).status).toBe(403);
    expect((await forged({})).status).toBe(403);
    const anonymous = await sendTo(server.baseUrl, `/dashboard/webhooks/${endpointId}`, new CookieJar(), {
      intent: 'resend',
      delivery_id: deliveryId,
    });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toMatch(/^\/login\?next=/);
    expect(await deliveryRow(deliveryId)).toEqual(before);
  });

  it("gives each reader their own keyway listen secret in the guide, the same on every load, and never another's", async () => {
    const siteSecret = await sampleKeySecret(db, null);
    const one = await owner();
    const two = await owner();
    const secrets = async (jar: CookieJar) => {
      const page = await html('/docs/webhooks', jar);
      expect(page).not.toContain(STANDINS.webhookSecret);
      return { key: distinct(page, SECRET_KEY_PATTERN), whsec: distinct(page, WHSEC) };
    };
    const first = await secrets(one.jar);
    expect(first.key).toHaveLength(1);
    expect(first.whsec).toEqual([listenSigningSecret(siteSecret, first.key[0]!)]);
    expect(await secrets(one.jar)).toEqual(first);
    const second = await secrets(two.jar);
    expect(second.whsec).toHaveLength(1);
    expect(second.whsec[0]).not.toBe(first.whsec[0]);

    // An anonymous reader gets one derived from their sample key.
    const guest = await secrets(new CookieJar());
    expect(guest.whsec).toEqual([listenSigningSecret(siteSecret, guest.key[0]!)]);

    // The Markdown version fills the same slot, and the template behind both holds only the stand-in.
    const markdown = await (await send('/docs/webhooks.md', one.jar)).text();
    expect(distinct(markdown, WHSEC)).toEqual(first.whsec);
    // (The reference's example create response has a secret of its own: a build-time endpoint's.)
    const bundle = JSON.parse(
      readFileSync(new URL('../../dist/markdown/pages.json', import.meta.url), 'utf8'),
    ) as { pages: Array<{ url: string; markdown: Record<string, string> }> };
    const guide = bundle.pages.find((page) => page.url === '/docs/webhooks')!;
    expect(distinct(Object.values(guide.markdown).join('\n'), WHSEC)).toEqual([STANDINS.webhookSecret]);
  });

  it("streams the reader's own webhook deliveries, and never another account's or a live one", async () => {
    const me = await owner();
    const stranger = await owner();
    const response = await fetch(`${server.baseUrl}/api/stream`, { headers: { cookie: me.jar.header() } });
    expect(response.status).toBe(200);
    const events = new EventReader(response);
    try {
      await events.waitFor((event) => event.event === 'waiting' || event.event === 'latest');
      const notice = (accountId: string, eventId: string, mode: KeyMode = 'test'): DeliveryNotice => ({
        accountId,
        mode,
        eventId,
        eventType: 'customer.created',
        endpointId: null,
        url: 'http://localhost:3000/webhook',
        status: 400,
        error: null,
        durationMs: 9,
        attempt: 1,
        succeeded: false,
        createdMs: Date.now(),
      });
      // One connection, so the server hears them in this order (the bus's pool may use two).
      const notifier = new pg.Client({ connectionString: scratch.url });
      await notifier.connect();
      try {
        for (const sent of [
          notice(stranger.accountId, 'evt_strangers'),
          notice(me.accountId, 'evt_mine_live', 'live'),
          notice(me.accountId, 'evt_mine'),
        ]) {
          await notifier.query('SELECT pg_notify($1, $2)', ['keyway_deliveries', JSON.stringify(sent)]);
        }
      } finally {
        await notifier.end();
      }
      const mine = await events.waitFor((event) => event.event === 'delivery');
      expect(JSON.parse(mine.data)).toMatchObject({ eventId: 'evt_mine', status: 400, succeeded: false });
      expect(events.events.filter((event) => event.event === 'delivery')).toHaveLength(1);
      // The bus's own publish reaches it too, as the delivery worker's and keyway listen's will.
      bus.publishDelivery({ ...notice(me.accountId, 'evt_via_bus'), status: 204, succeeded: true });
      await events.waitFor((event) => event.event === 'delivery' && event.data.includes('evt_via_bus'));
      expect(JSON.stringify(events.events)).not.toContain('evt_strangers');
    } finally {
      await response.body?.cancel().catch(() => {});
    }
  });
});
