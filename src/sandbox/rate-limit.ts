import type { Kysely } from 'kysely';
import type { Database } from '../lib/db/schema.ts';
import { messages } from './messages.ts';
import { SandboxError } from './errors.ts';

/**
 * A fixed one-second window per key, counted in the database with one upsert, so several
 * processes share the count. Over the limit: 429 `rate_limit`, with Retry-After.
 */
export async function enforceRateLimit(
  db: Kysely<Database>,
  keyId: string,
  limit: number,
  now: number,
  origin: string,
): Promise<void> {
  if ((await countInWindow(db, keyId, now)) > limit) {
    throw new SandboxError(429, messages.rateLimited(origin), {
      code: 'rate_limit',
      headers: { 'retry-after': '1' },
    });
  }
}

/** Counts a request of a key in its one-second window; returns the window's count so far. */
export async function countInWindow(db: Kysely<Database>, keyId: string, now: number): Promise<number> {
  const second = Math.floor(now / 1000);
  const { count } = await db
    .insertInto('rate_windows')
    .values({ key_id: keyId, second, count: 1 })
    .onConflict((conflict) =>
      conflict
        .columns(['key_id', 'second'])
        .doUpdateSet((eb) => ({ count: eb(eb.ref('rate_windows.count'), '+', 1) })),
    )
    .returning('count')
    .executeTakeFirstOrThrow();
  return count;
}
