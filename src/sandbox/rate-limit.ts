import type { Kysely } from 'kysely';
import type { Database } from '../lib/db/schema.ts';
import { messages } from './messages.ts';
import { SandboxError } from './errors.ts';

/** Where the per-key one-second counts are kept. */
export interface RateWindows {
  /** Counts a request of a key in its one-second window; gives the window's count so far. */
  count(keyId: string, now: number): number | Promise<number>;
}

/**
 * A fixed one-second window per key. Over the limit: 429 `rate_limit`, with Retry-After.
 */
export async function enforceRateLimit(
  windows: RateWindows,
  keyId: string,
  limit: number,
  now: number,
  origin: string,
): Promise<void> {
  if ((await windows.count(keyId, now)) > limit) {
    throw new SandboxError(429, messages.rateLimited(origin), {
      code: 'rate_limit',
      headers: { 'retry-after': '1' },
    });
  }
}

/**
 * Windows counted in the database with one upsert each, so every process on it shares the
 * count: what several servers on one PostgreSQL need.
 */
export function databaseWindows(db: Kysely<Database>): RateWindows {
  return {
    async count(keyId, now) {
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
    },
  };
}

/**
 * Keys one process counts in memory in one second. Past it, the second's other keys are
 * counted by the fallback (the database), so the map stays bounded and no key goes uncounted.
 */
export const MEMORY_WINDOW_KEYS = 10_000;

/**
 * Windows counted in this process's memory, for a database only one process serves (an SQLite
 * file): the upsert was a write, and a commit, on every sandbox request. Only the current second
 * is kept; a request stamped with an earlier second (the clock stepped back) or a key past
 * MEMORY_WINDOW_KEYS is counted by `fallback`. The counts die with the process, as they may: a
 * restart takes longer than the one second they cover.
 */
export class MemoryWindows implements RateWindows {
  readonly #fallback: RateWindows;
  #second = -Infinity;
  #counts = new Map<string, number>();

  constructor(fallback: RateWindows) {
    this.#fallback = fallback;
  }

  count(keyId: string, now: number): number | Promise<number> {
    const second = Math.floor(now / 1000);
    if (second > this.#second) {
      this.#second = second;
      this.#counts = new Map();
    }
    if (second === this.#second) {
      const counted = this.#counts.get(keyId);
      if (counted !== undefined || this.#counts.size < MEMORY_WINDOW_KEYS) {
        const count = (counted ?? 0) + 1;
        this.#counts.set(keyId, count);
        return count;
      }
    }
    return this.#fallback.count(keyId, now);
  }
}

/**
 * The memory windows of each database, kept on globalThis: the server's modules and Astro's
 * bundled copy of them serve one database (see src/lib/db/index.ts), and must count together.
 */
const SLOT = Symbol.for('keyway.memoryRateWindows');
type Holder = { [SLOT]?: WeakMap<Kysely<Database>, MemoryWindows> };

/** This process's memory windows for a database, falling back on its `rate_windows` table. */
export function processWindows(db: Kysely<Database>): MemoryWindows {
  const holder = globalThis as Holder;
  const all = (holder[SLOT] ??= new WeakMap());
  let windows = all.get(db);
  if (!windows) {
    windows = new MemoryWindows(databaseWindows(db));
    all.set(db, windows);
  }
  return windows;
}
