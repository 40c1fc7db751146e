import type { Kysely } from 'kysely';
import { afterEach, beforeAll, expect, it, vi } from 'vitest';
import { signUp } from '../../src/lib/auth/accounts.ts';
import type { Database } from '../../src/lib/db/schema.ts';
import { writeLog, type LogEntry } from '../../src/sandbox/request-log.ts';
import { describeEachDatabase, useScratchDatabase } from '../support/databases.ts';

/**
 * Log entries made in the same turn of the event loop are written together. One the database
 * refuses (its account deleted in the meantime) must not cost the others their place, and each
 * is written redacted, as before.
 */
describeEachDatabase('request log entries written together on $name', (kind) => {
  const database = useScratchDatabase(kind);
  let db: Kysely<Database>;
  let accountId: string;
  beforeAll(async () => {
    db = database();
    const result = await signUp(db, {
      email: `batched.logs.${kind.name}.${Date.now()}@example.com`,
      password: 'correct horse battery',
    });
    if (!result.ok) throw new Error('sign-up failed');
    accountId = result.accountId;
  });
  afterEach(() => vi.restoreAllMocks());

  const entry = (id: string, account: string, body: LogEntry['body']): LogEntry => ({
    id,
    accountId: account,
    mode: 'test',
    keyId: null,
    maskedKey: 'sk_test_…abcd',
    source: 'api',
    method: 'POST',
    path: '/v1/customers',
    status: 200,
    durationMs: 1.4,
    idempotencyKey: null,
    query: null,
    body,
    response: { id: 'cus_batched', object: 'customer' },
    userAgent: null,
    createdMs: Date.now(),
  });

  it('writes every entry of a turn but the one the database refuses, which is reported and told as null', async () => {
    const failures = vi.spyOn(console, 'error').mockImplementation(() => {});
    const secret = 'sk_test_' + 'Q'.repeat(24);
    const written = await Promise.all([
      writeLog(db, entry('req_batchedfirst01', accountId, { description: secret })),
      writeLog(db, entry('req_batchedorphan1', 'acct_removedmeanwhile', null)),
      writeLog(db, entry('req_batchedthird01', accountId, null)),
    ]);
    expect(written.map((logged) => logged?.id ?? null)).toEqual([
      'req_batchedfirst01',
      null,
      'req_batchedthird01',
    ]);
    // What is told to live notices is the entry as stored: redacted.
    expect(written[0]!.body).toEqual({ description: 'sk_test_[redacted]' });

    const rows = await db
      .selectFrom('request_logs')
      .select(['id', 'body'])
      .where('id', 'like', 'req_batched%')
      .orderBy('id')
      .execute();
    expect(rows.map((row) => row.id)).toEqual(['req_batchedfirst01', 'req_batchedthird01']);
    expect(JSON.stringify(rows)).not.toContain(secret);
    expect(failures).toHaveBeenCalledTimes(1);
    expect(String(failures.mock.calls[0]![0])).toContain('req_batchedorphan1');
  });
});
