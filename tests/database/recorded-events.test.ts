import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { signUp } from '../../src/lib/auth/accounts.ts';
import type { Database } from '../../src/lib/db/schema.ts';
import { listKeys } from '../../src/lib/keys/api-keys.ts';
import type { RecordedEvent } from '../../src/sandbox/context.ts';
import { handleSandboxRequest } from '../../src/sandbox/handler.ts';
import { describeEachDatabase, useScratchDatabase } from '../support/databases.ts';

/**
 * The sandbox tells `onEvents` (webhook delivery, `keyway listen`) about the events a request
 * recorded, once its change has committed, and about no event of a request that failed.
 */
const ORIGIN = 'https://docs.example.com';

describeEachDatabase('recorded events told after commit on $name', (kind) => {
  const database = useScratchDatabase(kind);
  let db: Kysely<Database>;
  let key: string;
  let accountId: string;
  beforeAll(async () => {
    db = database();
    const result = await signUp(db, {
      email: `events.${Date.now()}@example.com`,
      password: 'correct horse battery',
    });
    if (!result.ok) throw new Error('sign-up failed');
    accountId = result.accountId;
    key = (await listKeys(db, accountId, 'test')).find((k) => k.kind === 'secret')!.plaintext!;
  });

  async function send(method: string, path: string, form?: Record<string, string>) {
    const told: RecordedEvent[][] = [];
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
        onEvents: (events) => told.push(events),
      },
    );
    return { status: response.status, body: (await response.json()) as { id?: string }, told };
  }

  it('tells each committed event once, with the ids the events table holds', async () => {
    const created = await send('POST', '/v1/customers', { email: 'jenny.rosen@example.com' });
    expect(created.status).toBe(200);
    expect(created.told).toHaveLength(1);
    const [event] = created.told[0]!;
    const row = await db
      .selectFrom('events')
      .selectAll()
      .where('id', '=', event!.id)
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({ accountId, mode: 'test', type: 'customer.created' });
    expect([row.account_id, row.type, row.object_id]).toEqual([
      accountId,
      'customer.created',
      created.body.id,
    ]);

    const deleted = await send('DELETE', `/v1/customers/${created.body.id}`);
    expect(deleted.told.map((events) => events.map((e) => e.type))).toEqual([['customer.deleted']]);
  });

  it('tells nothing for a request that recorded no event or failed', async () => {
    const before = Number(
      (
        await db
          .selectFrom('events')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    expect((await send('GET', '/v1/customers')).told).toEqual([]);
    const missing = await send('POST', '/v1/customers/cus_nope', { name: 'Jenny Rosen' });
    expect(missing.status).toBe(404);
    expect(missing.told).toEqual([]);
    const bad = await send('POST', '/v1/customers', { email: 'not an address' });
    expect(bad.status).toBe(400);
    expect(bad.told).toEqual([]);
    const after = Number(
      (
        await db
          .selectFrom('events')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    expect(after).toBe(before);
  });
});
