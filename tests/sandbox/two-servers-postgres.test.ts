import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needsPostgres, POSTGRES, type ScratchDatabase } from '../support/databases.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { call, newReaderWithKeys, sdk, sleep, type Reader } from '../support/sandbox.ts';

/**
 * Two servers over one PostgreSQL database, as behind a load balancer: idempotency
 * records, objects and rate-limit counts live in the database, so the two agree.
 */
describe('two servers over one PostgreSQL (TEST_DATABASE_URL)', needsPostgres, () => {
  let scratch: ScratchDatabase;
  let a: RunningServer;
  let b: RunningServer;
  let reader: Reader;

  beforeAll(async () => {
    scratch = await POSTGRES.create();
    a = await startServer({ DATABASE_URL: scratch.url });
    b = await startServer({ DATABASE_URL: scratch.url });
    reader = await newReaderWithKeys(a.baseUrl);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
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

  it('the rate-limit count is shared: 40 requests in one second, half to each, give 429s past 25', async () => {
    const own = await newReaderWithKeys(b.baseUrl);
    // Start at the top of a second so the whole burst falls in one one-second window.
    await sleep(1000 - (Date.now() % 1000) + 20);
    const burst = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        call(i % 2 ? a.baseUrl : b.baseUrl, 'GET', '/v1/customers?limit=1', { key: own.secretKey }),
      ),
    );
    const statuses = burst.map((response) => response.status);
    const ok = statuses.filter((status) => status === 200).length;
    const limited = statuses.filter((status) => status === 429).length;
    expect(ok + limited).toBe(40);
    // Counted per server, each would allow its 20; counted together, only 25 pass.
    expect(ok).toBe(25);
    expect(limited).toBe(15);
    expect(burst.find((response) => response.status === 429)!.json.error.code).toBe('rate_limit');
  });
});
