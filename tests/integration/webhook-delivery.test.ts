import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import Stripe from 'stripe';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { webhookSignatureHeader } from '../../src/isomorphic/webhook-signature.ts';
import type { Database } from '../../src/lib/db/schema.ts';
import { authenticateKey } from '../../src/lib/keys/api-keys.ts';
import { needsPostgres, openMigrated, POSTGRES, type ScratchDatabase } from '../support/databases.ts';
import { eventually, newReaderWithKeys, sdk, type Reader } from '../support/sandbox.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { insertEndpoint, startReceiver, type Receipt, type Receiver } from '../support/webhooks.ts';

/**
 * Webhook delivery by the real server: events made through the sandbox's HTTP API, sent by the
 * server's own worker to real receivers on loopback, checked with the official SDKs' verifiers;
 * then a crash with deliveries owed, and two processes sharing one PostgreSQL queue.
 */

interface Site {
  server: RunningServer;
  db: Kysely<Database>;
  reader: Reader;
  accountId: string;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function stopLater(server: RunningServer): void {
  cleanups.push(async () => {
    // A SIGKILLed server has exited already.
    if (server.process.exitCode === null && server.process.signalCode === null) await server.stop();
  });
}

async function receiverFor(answer?: Receiver['answer']): Promise<Receiver> {
  const receiver = await startReceiver(answer);
  cleanups.push(() => receiver.close());
  return receiver;
}

/** A fresh SQLite file in a scratch folder, removed after the test. */
function scratchSqlite(): string {
  const folder = mkdtempSync(join(tmpdir(), 'keyway-webhooks-'));
  cleanups.push(async () => rmSync(folder, { recursive: true, force: true }));
  return `file:${join(folder, 'keyway.sqlite')}`;
}

/** A server on `databaseUrl`, a reader signed up on it, and the test's own connection to its database. */
async function site(databaseUrl: string, env: Record<string, string> = {}): Promise<Site> {
  const server = await startServer({ DATABASE_URL: databaseUrl, SANDBOX_RATE_LIMIT: '1000', ...env });
  stopLater(server);
  const db = await openMigrated(databaseUrl);
  cleanups.push(() => db.destroy());
  const reader = await newReaderWithKeys(server.baseUrl);
  const authenticated = await authenticateKey(db, reader.secretKey);
  if (!('key' in authenticated)) throw new Error(`The reader's key was ${authenticated.rejected}`);
  return { server, db, reader, accountId: authenticated.key.accountId };
}

const eventIdOf = (receipt: Receipt) => (JSON.parse(receipt.body) as { id: string }).id;

/** Runs Debian's python3-stripe (5.x) on a captured delivery; fails, saying so, when it is missing. */
function verifyWithPython(cases: { payload: string; header: string; secret: string }[]): string[] {
  const script = `
import json, sys
try:
    import stripe
except ImportError:
    print("MISSING"); sys.exit(0)
for case in json.load(sys.stdin):
    try:
        event = stripe.Webhook.construct_event(case["payload"], case["header"], case["secret"])
        print("ok " + event["id"])
    except stripe.error.SignatureVerificationError as error:
        print("refused " + str(error).split("\\n")[0])
`;
  // Debian's own interpreter: a python3 earlier on PATH (pyenv, a virtualenv) does not see
  // /usr/lib/python3/dist-packages, where python3-stripe lives.
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const run = spawnSync(python, ['-c', script], { input: JSON.stringify(cases), encoding: 'utf8' });
  if (run.error) throw new Error(`python3 could not be run: ${run.error.message}`);
  if (run.status !== 0) throw new Error(`python3 failed: ${run.stderr}`);
  const lines = run.stdout.trim().split('\n');
  if (lines[0] === 'MISSING')
    throw new Error(
      "Debian's python3-stripe is not installed, so the Python SDK's verifier cannot be checked: " +
        'apt-get install python3-stripe (CI installs it).',
    );
  return lines;
}

describe('deliveries from the real server', () => {
  it('are signed so that stripe-node and stripe-python accept them, and refuse a tampered or stale one', async () => {
    const { server, db, reader, accountId } = await site(scratchSqlite());
    const hook = await receiverFor();
    const endpoint = await insertEndpoint(db, { accountId, url: hook.url });
    const customer = await sdk(reader.secretKey, server.baseUrl).customers.create({
      email: 'jenny.rosen@example.com',
    });
    const [receipt] = await eventually(
      async () => (hook.receipts.length > 0 ? hook.receipts : undefined),
      15_000,
    );
    const body = receipt!.body;
    const header = receipt!.headers['stripe-signature'] as string;

    const event = Stripe.webhooks.constructEvent(body, header, endpoint.secret);
    expect(event.type).toBe('customer.created');
    expect((event.data.object as { id: string }).id).toBe(customer.id);
    expect(event.pending_webhooks).toBe(1);
    const tampered = body.replace('jenny.rosen@example.com', 'mallory@example.com');
    expect(tampered).not.toBe(body);
    expect(() => Stripe.webhooks.constructEvent(tampered, header, endpoint.secret)).toThrow(
      /No signatures found matching the expected signature for payload/,
    );
    const stale = await webhookSignatureHeader(body, endpoint.secret, Math.floor(Date.now() / 1000) - 600);
    expect(() => Stripe.webhooks.constructEvent(body, stale, endpoint.secret)).toThrow(
      'Timestamp outside the tolerance zone',
    );
    // The delivery's own header, read ten minutes later, is stale too.
    expect(() =>
      Stripe.webhooks.constructEvent(body, header, endpoint.secret, 300, undefined, Date.now() + 600_000),
    ).toThrow('Timestamp outside the tolerance zone');

    expect(
      verifyWithPython([
        { payload: body, header, secret: endpoint.secret },
        { payload: tampered, header, secret: endpoint.secret },
        { payload: body, header: stale, secret: endpoint.secret },
      ]),
    ).toEqual([
      `ok ${event.id}`,
      'refused No signatures found matching the expected signature for payload',
      expect.stringMatching(/^refused Timestamp outside the tolerance zone \(\d+\)$/),
    ]);

    const delivery = await db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('event_id', '=', event.id)
      .executeTakeFirstOrThrow();
    expect(delivery).toMatchObject({ state: 'succeeded', attempt_count: 1, endpoint_id: endpoint.id });
  });

  it('with WEBHOOK_PRIVATE_TARGETS=refuse, a loopback endpoint gets a failed attempt and no connection', async () => {
    const { server, db, reader, accountId } = await site(scratchSqlite(), {
      WEBHOOK_PRIVATE_TARGETS: 'refuse',
    });
    const hook = await receiverFor();
    await insertEndpoint(db, { accountId, url: hook.url });
    await sdk(reader.secretKey, server.baseUrl).customers.create({ email: 'jenny.rosen@example.com' });
    const attempt = await eventually(
      () => db.selectFrom('webhook_attempts').selectAll().executeTakeFirst(),
      15_000,
      'the refused attempt',
    );
    expect(attempt.status).toBeNull();
    expect(attempt.error).toMatch(/is a loopback address\. This site does not send webhooks to loopback/);
    expect(hook.receipts).toEqual([]);
    const delivery = await db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('id', '=', attempt.delivery_id)
      .executeTakeFirstOrThrow();
    expect(delivery).toMatchObject({ state: 'pending', attempt_count: 1 });
    expect(Number(delivery.next_attempt_at)).toBeGreaterThan(Number(attempt.created_ms));
  });

  it(
    'survive a SIGKILL: 100 deliveries owed when the server dies all arrive after it restarts',
    { timeout: 240_000 },
    async () => {
      const databaseUrl = scratchSqlite();
      const first = await site(databaseUrl);
      // Down, as far as the server can tell: it takes the request and never answers.
      let up = false;
      const answered = new Set<string>();
      const hook = await receiverFor((receipt) => {
        if (!up) return 'hang';
        answered.add(eventIdOf(receipt));
        return { status: 200 };
      });
      await insertEndpoint(first.db, { accountId: first.accountId, url: hook.url });
      const stripe = sdk(first.reader.secretKey, first.server.baseUrl);
      const made: string[] = [];
      for (let i = 0; i < 100; i += 10)
        made.push(
          ...(
            await Promise.all(
              Array.from({ length: 10 }, (_, j) =>
                stripe.customers.create({ email: `crash.${i + j}@example.com` }),
              ),
            )
          ).map((customer) => customer.id),
        );
      const owed = await first.db
        .selectFrom('webhook_deliveries')
        .select(['event_id', 'state'])
        .where('account_id', '=', first.accountId)
        .execute();
      expect(owed).toHaveLength(100);
      expect(owed.every((row) => row.state === 'pending')).toBe(true);

      first.server.process.kill('SIGKILL');
      await new Promise((resolve) => first.server.process.once('exit', resolve));
      up = true;
      const second = await startServer({ DATABASE_URL: databaseUrl });
      stopLater(second);

      const eventIds = owed.map((row) => row.event_id).sort();
      // Those the dead process held wait for its lease to run out (30 s); the rest go at once.
      await eventually(
        async () => (eventIds.every((id) => answered.has(id)) ? true : undefined),
        120_000,
        'every owed event to arrive',
      );
      expect([...answered].sort()).toEqual(eventIds);
      const finished = await eventually(async () => {
        const rows = await first.db
          .selectFrom('webhook_deliveries')
          .select('state')
          .where('account_id', '=', first.accountId)
          .where('state', '=', 'succeeded')
          .execute();
        return rows.length === 100 ? rows : undefined;
      }, 15_000);
      expect(finished).toHaveLength(100);
      // The events are the customers'.
      const objects = await first.db
        .selectFrom('events')
        .select('object_id')
        .where('id', 'in', eventIds)
        .execute();
      expect(objects.map((row) => row.object_id).sort()).toEqual([...made].sort());
    },
  );
});

describe('two servers sharing one PostgreSQL queue', needsPostgres, () => {
  let scratch: ScratchDatabase | undefined;
  afterAll(async () => {
    await scratch?.drop();
  });

  it('deliver every event once between them', { timeout: 180_000 }, async () => {
    scratch = await POSTGRES.create();
    const a = await site(scratch.url);
    const b = await startServer({ DATABASE_URL: scratch.url, SANDBOX_RATE_LIMIT: '1000' });
    stopLater(b);
    const receipts = new Map<string, number>();
    const senders = new Map<string, number>();
    const hook = await receiverFor((receipt) => {
      const id = eventIdOf(receipt);
      receipts.set(id, (receipts.get(id) ?? 0) + 1);
      const agent = String(receipt.headers['user-agent']);
      senders.set(agent, (senders.get(agent) ?? 0) + 1);
      return { status: 200 };
    });
    await insertEndpoint(a.db, { accountId: a.accountId, url: hook.url });
    const onA = sdk(a.reader.secretKey, a.server.baseUrl);
    const onB = sdk(a.reader.secretKey, b.baseUrl);
    for (let i = 0; i < 120; i += 12)
      await Promise.all(
        Array.from({ length: 12 }, (_, j) =>
          (j % 2 ? onA : onB).customers.create({ email: `shared.${i + j}@example.com` }),
        ),
      );
    const deliveries = await a.db
      .selectFrom('webhook_deliveries')
      .select('event_id')
      .where('account_id', '=', a.accountId)
      .execute();
    expect(deliveries).toHaveLength(120);
    const done = async () => {
      const rows = await a.db
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('account_id', '=', a.accountId)
        .where('state', '=', 'succeeded')
        .execute();
      return rows.length === 120 ? true : undefined;
    };
    await eventually(done, 60_000, 'all 120 deliveries to succeed');
    expect([...receipts.keys()].sort()).toEqual(deliveries.map((row) => row.event_id).sort());
    expect([...receipts.values()].filter((count) => count !== 1)).toEqual([]);
    const attempts = await a.db
      .selectFrom('webhook_attempts')
      .innerJoin('webhook_deliveries', 'webhook_deliveries.id', 'webhook_attempts.delivery_id')
      .select('webhook_attempts.id')
      .where('webhook_deliveries.account_id', '=', a.accountId)
      .execute();
    expect(attempts).toHaveLength(120);
    // Which process sent how many is up to the scheduler; shown, not asserted.
    console.log(`Deliveries per server: ${JSON.stringify(Object.fromEntries(senders))}`);
  });
});
