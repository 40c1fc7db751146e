import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateKey } from '../../src/lib/keys/api-keys.ts';
import type { Database } from '../../src/lib/db/schema.ts';
import { needsPostgres, openMigrated, POSTGRES, type ScratchDatabase } from '../support/databases.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { call, newReaderWithKeys, sdk, type Reader } from '../support/sandbox.ts';

/** Requests per second each key may make, on both servers together. */
const LIMIT = 25;
/** Requests each server gets in a burst: fewer than LIMIT, so a server counting alone never refuses. */
const PER_SERVER = 24;

/**
 * Two servers over one PostgreSQL database, as behind a load balancer: idempotency
 * records, objects and rate-limit counts live in the database, so the two agree.
 */
describe('two servers over one PostgreSQL (TEST_DATABASE_URL)', needsPostgres, () => {
  let scratch: ScratchDatabase;
  let a: RunningServer;
  let b: RunningServer;
  let reader: Reader;
  let db: Kysely<Database>;

  beforeAll(async () => {
    scratch = await POSTGRES.create();
    a = await startServer({ DATABASE_URL: scratch.url, SANDBOX_RATE_LIMIT: String(LIMIT) });
    b = await startServer({ DATABASE_URL: scratch.url, SANDBOX_RATE_LIMIT: String(LIMIT) });
    reader = await newReaderWithKeys(a.baseUrl);
    db = await openMigrated(scratch.url);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.destroy();
    await scratch?.drop();
  });

  it('an idempotent POST sent to A and retried on B replays the same object', async () => {
    const key = `two-servers-${Date.now()}`;
    const form = 'email=twice%40example.com&metadata[attempt]=1';
    const first = await call(a.baseUrl, 'POST', '/v1/customers', {
      key: reader.secretKey,
      form,
      headers: { 'idempotency-key': key },
    });
    const retry = await call(b.baseUrl, 'POST', '/v1/customers', {
      key: reader.secretKey,
      form,
      headers: { 'idempotency-key': key },
    });
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.json).toEqual(first.json);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    const other = await call(b.baseUrl, 'POST', '/v1/customers', {
      key: reader.secretKey,
      form: 'email=other%40example.com',
      headers: { 'idempotency-key': key },
    });
    expect(other.status).toBe(400);
    expect(other.json.error.type).toBe('idempotency_error');
    const listed = await sdk(reader.secretKey, b.baseUrl).customers.list({ email: 'twice@example.com' });
    expect(listed.data.map((customer) => customer.id)).toEqual([first.json.id]);
  });

  it('a customer created on A is retrievable, updatable and listed on B, with its events', async () => {
    const created = await sdk(reader.secretKey, a.baseUrl).customers.create({ email: 'shared@example.com' });
    const onB = sdk(reader.secretKey, b.baseUrl);
    await expect(onB.customers.retrieve(created.id)).resolves.toMatchObject({
      id: created.id,
      email: 'shared@example.com',
    });
    await onB.customers.update(created.id, { name: 'Updated on B' });
    await expect(sdk(reader.secretKey, a.baseUrl).customers.retrieve(created.id)).resolves.toMatchObject({
      name: 'Updated on B',
    });
    const events = await onB.events.list({ type: 'customer.*', limit: 100 });
    const forCustomer = events.data.filter(
      (event) => (event.data.object as { id: string }).id === created.id,
    );
    expect(forCustomer.map((event) => event.type)).toEqual(['customer.updated', 'customer.created']);
  });

  it('the rate-limit count is shared: in each one-second window only the first 25, on either server, pass', async () => {
    for (let attempt = 1; ; attempt++) {
      const own = await newReaderWithKeys(b.baseUrl);
      // Under the limit on each server: only a shared count can refuse any of these.
      const burst = await Promise.all(
        Array.from({ length: 2 * PER_SERVER }, (_, i) =>
          call(i % 2 ? a.baseUrl : b.baseUrl, 'GET', '/v1/customers?limit=1', { key: own.secretKey }),
        ),
      );
      const statuses = burst.map((response) => response.status);
      const ok = statuses.filter((status) => status === 200).length;
      const limited = statuses.filter((status) => status === 429).length;
      // How the burst fell into one-second windows is up to the scheduler; the windows the
      // servers counted say it, and each must have let through exactly min(count, limit).
      const authenticated = await authenticateKey(db, own.secretKey);
      if (!('key' in authenticated)) throw new Error(`The reader's key was ${authenticated.rejected}`);
      const windows = await db
        .selectFrom('rate_windows')
        .select('count')
        .where('key_id', '=', authenticated.key.id)
        .execute();
      const counts = windows.map((window) => Number(window.count));
      expect(counts.reduce((sum, count) => sum + count, 0)).toBe(2 * PER_SERVER);
      expect(ok).toBe(counts.reduce((sum, count) => sum + Math.min(count, LIMIT), 0));
      expect(limited).toBe(counts.reduce((sum, count) => sum + Math.max(count - LIMIT, 0), 0));
      if (limited > 0) {
        expect(burst.find((response) => response.status === 429)!.json.error.code).toBe('rate_limit');
        return;
      }
      // So slow a machine that no second saw more than the limit: nothing was refused, rightly;
      // send another burst, with a new key, to see a refusal.
      expect(attempt, 'no burst ever put more than 25 requests in one second').toBeLessThan(5);
    }
  });
});
