import type { Kysely } from 'kysely';
import type { Database } from '../../src/lib/db/schema.ts';

/**
 * Writes what one sandbox request leaves behind, straight into the database, for tests that
 * need history without a server: its request log and the event it emitted, and with
 * `customer` the customer it made. Ids end in `suffix` (`req_…`, `evt_…`, `cus_…`).
 */
export async function insertSandboxHistory(
  db: Kysely<Database>,
  {
    accountId,
    suffix,
    createdMs,
    customer = false,
  }: {
    accountId: string;
    suffix: string;
    createdMs: number;
    customer?: boolean;
  },
): Promise<void> {
  const created = Math.floor(createdMs / 1000);
  if (customer) {
    await db
      .insertInto('customers')
      .values({
        id: `cus_${suffix}`,
        account_id: accountId,
        mode: 'test',
        email: 'g@example.com',
        created,
        created_ms: createdMs,
        deleted_at: null,
        object: '{}',
      })
      .execute();
  }
  await db
    .insertInto('request_logs')
    .values({
      id: `req_${suffix}`,
      account_id: accountId,
      mode: 'test',
      key_id: null,
      masked_key: 'sk_test_…abcd',
      source: 'api',
      method: 'POST',
      path: '/v1/customers',
      status: 200,
      duration_ms: 3,
      idempotency_key: null,
      query: null,
      body: null,
      response: '{}',
      user_agent: null,
      created_ms: createdMs,
    })
    .execute();
  await db
    .insertInto('events')
    .values({
      id: `evt_${suffix}`,
      account_id: accountId,
      mode: 'test',
      type: 'customer.created',
      object_id: `cus_${suffix}`,
      request_id: `req_${suffix}`,
      created,
      created_ms: createdMs,
      event: '{}',
    })
    .execute();
}
