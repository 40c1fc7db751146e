import { sql, type Kysely } from 'kysely';
import { sha256Hex } from '../crypto.ts';
import { preparedQuery } from '../db/prepared.ts';
import type { Database } from '../db/schema.ts';
import { newId } from '../ids.ts';
import { adoptSampleKeys } from '../keys/api-keys.ts';
import type { SampleKeys } from '../keys/sample-keys.ts';

/**
 * Guest sandboxes. An anonymous reader's sample keys start as text in a cookie, signed so
 * the sandbox knows this site issued them; the first request made with one (from the page,
 * the shell, or a terminal however the key got there) makes them the test keys of a
 * private account with no users. A page view alone creates nothing. Guests expire after a
 * day unused; signing up or in moves what the guest made into the reader's account.
 */
export const GUEST_RULES = {
  /** Guest sandboxes one client address may create in a day. */
  perAddressPerDay: 20,
  idleMs: 24 * 60 * 60 * 1000,
} as const;

export type GuestActivation =
  { ok: true; accountId: string; created: boolean } | { ok: false; reason: 'limit'; waitMs: number };

/** The guest account whose secret key has this hash; compiled once (every anonymous page view asks). */
const guestByKeyHash = preparedQuery<Database, { id: string }>((db, keyHash) =>
  db
    .selectFrom('api_keys')
    .innerJoin('accounts', 'accounts.id', 'api_keys.account_id')
    .select('accounts.id')
    .where('api_keys.key_hash', '=', keyHash)
    .where('accounts.kind', '=', 'guest'),
);

/** The guest account behind a sample key pair, if it was activated. */
export async function findGuest(db: Kysely<Database>, keys: SampleKeys): Promise<string | null> {
  const [row] = await guestByKeyHash(db, sha256Hex(keys.secretKey));
  return row?.id ?? null;
}

/** Makes (or refreshes) the guest sandbox for a sample pair; limited per client address. */
export async function activateGuest(
  db: Kysely<Database>,
  keys: SampleKeys,
  clientAddress: string,
  now = Date.now(),
): Promise<GuestActivation> {
  const existing = await findGuest(db, keys);
  if (existing) {
    await db.updateTable('accounts').set({ last_active_at: now }).where('id', '=', existing).execute();
    return { ok: true, accountId: existing, created: false };
  }
  const recent = await db
    .selectFrom('accounts')
    .select(['created_at'])
    .where('kind', '=', 'guest')
    .where('guest_address', '=', clientAddress)
    .where('created_at', '>', now - GUEST_RULES.idleMs)
    .orderBy('created_at', 'asc')
    .execute();
  if (recent.length >= GUEST_RULES.perAddressPerDay) {
    return { ok: false, reason: 'limit', waitMs: recent[0]!.created_at + GUEST_RULES.idleMs - now };
  }
  const accountId = newId('acct');
  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('accounts')
        .values({
          id: accountId,
          name: 'Guest sandbox',
          created_at: now,
          kind: 'guest',
          guest_address: clientAddress,
          last_active_at: now,
        })
        .execute();
      await adoptSampleKeys(trx, accountId, keys, now);
    });
  } catch (error) {
    // The same pair activated by a parallel request: its sandbox stands.
    const raced = await findGuest(db, keys);
    if (raced) return { ok: true, accountId: raced, created: false };
    throw error;
  }
  return { ok: true, accountId, created: true };
}

/**
 * Moves a guest's customers, events and logs into an account's test mode and retires the
 * guest. Its keys move too, expired: a sample key that still verifies would otherwise start
 * a new, empty guest, while an expired key tells the reader it was replaced. Called when
 * the reader signs up or in.
 */
export async function adoptGuest(
  db: Kysely<Database>,
  keys: SampleKeys,
  accountId: string,
  now = Date.now(),
): Promise<boolean> {
  const guestId = await findGuest(db, keys);
  if (!guestId || guestId === accountId) return false;
  await db.transaction().execute(async (trx) => {
    for (const table of ['customers', 'events', 'request_logs'] as const) {
      await trx
        .updateTable(table)
        .set({ account_id: accountId, mode: 'test' })
        .where('account_id', '=', guestId)
        .execute();
    }
    await trx
      .updateTable('api_keys')
      .set({ account_id: accountId, expires_at: now })
      .where('account_id', '=', guestId)
      .execute();
    await trx.deleteFrom('accounts').where('id', '=', guestId).execute();
  });
  return true;
}

/** Deletes guests unused for a day, with everything in them (the foreign keys cascade). */
export async function purgeIdleGuests(db: Kysely<Database>, now = Date.now()): Promise<number> {
  const cutoff = now - GUEST_RULES.idleMs;
  const result = await db
    .deleteFrom('accounts')
    .where('kind', '=', 'guest')
    .where('last_active_at', '<', cutoff)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('api_keys')
            .select(sql`1`.as('used'))
            .whereRef('api_keys.account_id', '=', 'accounts.id')
            .where('api_keys.last_used_at', '>=', cutoff),
        ),
      ),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
