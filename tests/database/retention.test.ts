import { beforeAll, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { signUp } from '../../src/lib/auth/accounts.ts';
import { purgeExpired, RETENTION, schedulePurge } from '../../src/lib/maintenance/retention.ts';
import type { Database } from '../../src/lib/db/schema.ts';
import { describeEachDatabase, useScratchDatabase } from '../support/databases.ts';
import { insertSandboxHistory } from '../support/sandbox-rows.ts';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describeEachDatabase('purging old sandbox history on $name', (kind) => {
  const database = useScratchDatabase(kind);
  let db: Kysely<Database>;
  beforeAll(() => {
    db = database();
  });

  it('removes logs and events past 30 days and idempotency records past 24 hours, and keeps the rest', async () => {
    const account = await signUp(db, {
      email: `purge.${Date.now()}@example.com`,
      password: 'correct horse battery',
    });
    if (!account.ok) throw new Error('sign-up failed');
    const now = Date.now();
    const old = now - RETENTION.logsAndEventsMs - 1;
    const recent = now - RETENTION.logsAndEventsMs + 60_000;
    for (const [suffix, createdMs] of [
      ['old00000000000', old],
      ['new00000000000', recent],
    ] as const) {
      await insertSandboxHistory(db, { accountId: account.accountId, suffix, createdMs });
    }
    for (const [key, created] of [
      ['old', now - RETENTION.idempotencyMs - 1],
      ['new', now - 1000],
    ] as const) {
      await db
        .insertInto('idempotency_records')
        .values({
          account_id: account.accountId,
          mode: 'test',
          key,
          fingerprint: 'f',
          status: 200,
          response: '{}',
          created_ms: created,
        })
        .execute();
    }
    const counts = await purgeExpired(db, now);
    expect(counts).toMatchObject({ logs: 1, events: 1, idempotency: 1 });
    expect((await db.selectFrom('request_logs').select('id').execute()).map((row) => row.id)).toEqual([
      'req_new00000000000',
    ]);
    expect((await db.selectFrom('events').select('id').execute()).map((row) => row.id)).toEqual([
      'evt_new00000000000',
    ]);
    expect(
      (await db.selectFrom('idempotency_records').select('key').execute()).map((row) => row.key),
    ).toEqual(['new']);
  });

  it('runs the purge at once and then on every interval, until stopped', async () => {
    // A rate window from an hour ago is past its retention whenever the purge looks.
    const stale = (keyId: string) =>
      db
        .insertInto('rate_windows')
        .values({ key_id: keyId, second: Math.floor(Date.now() / 1000) - 3600, count: 1 })
        .execute();
    const present = async (keyId: string) =>
      (await db.selectFrom('rate_windows').select('key_id').where('key_id', '=', keyId).execute()).length > 0;
    const gone = async (keyId: string) => {
      for (let tries = 0; tries < 200 && (await present(keyId)); tries++) await sleep(25);
      return !(await present(keyId));
    };

    await stale('key_sched_first');
    // An hour-long interval: only the purge at start can remove the first row in time.
    const stopHourly = schedulePurge(db, 60 * 60 * 1000);
    try {
      expect(await gone('key_sched_first'), 'the first purge runs at start').toBe(true);
    } finally {
      stopHourly();
    }
    const stop = schedulePurge(db, 100);
    try {
      // Each row is written after a purge removed the one before, so only a later purge can
      // remove it: three in a row take the purge at start and at least two on the interval.
      for (const round of [1, 2, 3]) {
        await stale(`key_sched_round${round}`);
        expect(await gone(`key_sched_round${round}`), `purge round ${round}`).toBe(true);
      }
    } finally {
      stop();
    }
    // Let a purge already under way finish, then nothing more runs.
    await sleep(150);
    await stale('key_sched_stopped');
    await sleep(400);
    expect(await present('key_sched_stopped'), 'no purge after stop').toBe(true);
  });
});
