import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { signUp } from '../../src/lib/auth/accounts.ts';
import type { KeywayConfig } from '../../src/lib/config/config.ts';
import type { Database } from '../../src/lib/db/schema.ts';
import { listKeys } from '../../src/lib/keys/api-keys.ts';
import { handleSandboxRequest } from '../../src/sandbox/handler.ts';
import { sandboxRateWindows } from '../../src/sandbox/serve.ts';
import { describeEachDatabase, useScratchDatabase } from '../support/databases.ts';

/**
 * The per-key limit with the windows the server picks for its database: on SQLite (one process
 * serves the file) counted in memory, writing nothing; on PostgreSQL (processes share it) in
 * `rate_windows`, where every process sees the count. Either way the request past the limit is
 * refused and changes nothing.
 */
const ORIGIN = 'https://docs.example.com';
const LIMIT = 5;

describeEachDatabase('the sandbox rate limit with the windows chosen for $name', (kind) => {
  const database = useScratchDatabase(kind);
  let db: Kysely<Database>;
  let accountId: string;
  let keyId: string;
  let key: string;
  beforeAll(async () => {
    db = database();
    const result = await signUp(db, {
      email: `windows.${kind.name}.${Date.now()}@example.com`,
      password: 'correct horse battery',
    });
    if (!result.ok) throw new Error('sign-up failed');
    accountId = result.accountId;
    const secret = (await listKeys(db, accountId, 'test')).find((k) => k.kind === 'secret')!;
    keyId = secret.id;
    key = secret.plaintext!;
  });

  const config = () => ({ database: { kind: kind.name } }) as unknown as KeywayConfig;

  async function create(now: number, email: string) {
    const response = await handleSandboxRequest(
      new Request(`${ORIGIN}/v1/customers`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ email }).toString(),
      }),
      {
        db,
        origin: ORIGIN,
        rateLimitPerSecond: LIMIT,
        rateWindows: sandboxRateWindows(config(), db),
        guests: { secret: randomBytes(32), clientAddress: '192.0.2.1' },
        now: () => now,
      },
    );
    return { status: response.status, body: (await response.json()) as { error?: { code?: string } } };
  }

  const customers = async (email: string) =>
    (
      await db
        .selectFrom('customers')
        .select('id')
        .where('account_id', '=', accountId)
        .where('email', '=', email)
        .execute()
    ).length;

  it('lets LIMIT requests through in a second, refuses the next without making it, and starts again the next second', async () => {
    const second = (Math.floor(Date.now() / 1000) + 100) * 1000;
    const passed = [];
    for (let i = 0; i < LIMIT; i++) passed.push((await create(second + i, `ok${i}@example.com`)).status);
    expect(passed).toEqual(Array(LIMIT).fill(200));

    const refused = await create(second + 999, 'over@example.com');
    expect([refused.status, refused.body.error?.code]).toEqual([429, 'rate_limit']);
    expect(await customers('over@example.com'), 'a refused create makes no customer').toBe(0);

    expect((await create(second + 1000, 'next@example.com')).status).toBe(200);
    expect(await customers('next@example.com')).toBe(1);

    const windows = await db.selectFrom('rate_windows').select('count').where('key_id', '=', keyId).execute();
    if (kind.name === 'sqlite') {
      expect(windows, 'SQLite counts in memory: no window is written').toEqual([]);
    } else {
      expect(windows.map((window) => Number(window.count)).sort()).toEqual([1, LIMIT + 1]);
    }
  });
});
