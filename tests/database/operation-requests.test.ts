import { beforeAll, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { signUp } from '../../src/lib/auth/accounts.ts';
import type { Database } from '../../src/lib/db/schema.ts';
import { latestRequests, REQUEST_LIMITS, type RequestScope } from '../../src/lib/live/operation-requests.ts';
import { operationById, type OperationSpec } from '../../src/spec/operations.ts';
import { describeEachDatabase, useScratchDatabase } from '../support/databases.ts';

describeEachDatabase("matching logged requests to an operation's path in SQL, on $name", (kind) => {
  const database = useScratchDatabase(kind);
  let db: Kysely<Database>;
  let scope: RequestScope;
  let logged = 0;

  /** Logs `count` requests as the sandbox would, one after another; returns the last one's id. */
  async function log(method: string, path: string, count = 1): Promise<string> {
    const rows = Array.from({ length: count }, () => ({
      id: `req_${String(++logged).padStart(14, '0')}`,
      account_id: scope.accountId,
      mode: 'test' as const,
      key_id: null,
      masked_key: 'sk_test_…abcd',
      source: 'api' as const,
      method,
      path,
      status: 200,
      duration_ms: 3,
      idempotency_key: null,
      query: null,
      body: null,
      response: '{}',
      user_agent: null,
      created_ms: Date.now() + logged,
    }));
    await db.insertInto('request_logs').values(rows).execute();
    return rows.at(-1)!.id;
  }

  const ids = async (operation: OperationSpec) =>
    (await latestRequests(db, scope, operation, 20)).map((request) => request.id);

  beforeAll(async () => {
    db = database();
    const account = await signUp(db, {
      email: `matching.${kind.name}.${Date.now()}@example.com`,
      password: 'correct horse battery',
    });
    if (!account.ok) throw new Error('sign-up failed');
    scope = { accountId: account.accountId, mode: 'test', logs: 'dashboard' };
  });

  it('takes `{id}` as one whole path segment, of any characters', async () => {
    const retrieve = operationById('retrieve-customer')!;
    const plain = await log('GET', '/v1/customers/cus_1');
    // A key in a path is redacted before it is logged, stars and all.
    const redacted = await log('GET', '/v1/customers/sk_test_****abcd');
    await log('GET', '/v1/customers/cus_1/sources');
    await log('GET', '/v1/customers');
    await log('GET', '/v1/customersX/cus_1');
    await log('POST', '/v1/customers/cus_1');
    expect(await ids(retrieve)).toEqual([redacted, plain]);
  });

  it("reads a template's `_` as itself, not as LIKE's one-character wildcard", async () => {
    const retrieve: OperationSpec = {
      ...operationById('retrieve-customer')!,
      id: 'retrieve-payment-intent',
      path: '/v1/payment_intents/{id}',
    };
    const mine = await log('GET', '/v1/payment_intents/pi_1');
    await log('GET', '/v1/paymentXintents/pi_1');
    expect(await ids(retrieve)).toEqual([mine]);
  });

  it("leaves out another operation's literal path that the template would also match", async () => {
    // A template that `/v1/customers` and `/v1/events` also fit: the router gives those to
    // the list operations, so this one must not claim them.
    const wide: OperationSpec = {
      ...operationById('retrieve-customer')!,
      id: 'retrieve-anything',
      path: '/v1/{id}',
    };
    const other = await log('GET', '/v1/balance');
    await log('GET', '/v1/customers');
    await log('GET', '/v1/events');
    expect(await ids(wide)).toEqual([other]);
  });

  it("looks through the scope's latest requests only, so a long log costs no more", async () => {
    const remove = operationById('delete-customer')!;
    await log('DELETE', '/v1/customers/cus_old');
    const recent = await log('DELETE', '/v1/customers/cus_recent');
    await log('GET', '/v1/customers', REQUEST_LIMITS.window - 1);
    expect(await ids(remove)).toEqual([recent]);
    await log('GET', '/v1/customers');
    expect(await ids(remove)).toEqual([]);
  });
});
