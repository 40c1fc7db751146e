import type { Kysely, Transaction } from 'kysely';
import type { ApiKeysTable, Database, KeyKind, KeyMode } from '../db/schema.ts';
import { sha256Hex } from '../crypto.ts';
import { preparedStatement } from '../db/prepared-statement.ts';
import { newId } from '../ids.ts';
import { generateKey, type KeyPrefix } from './format.ts';
import { readPermissions, type Permissions } from './permissions.ts';
import { maskKeyParts } from '../../isomorphic/key-mask.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** A key as the dashboard lists it: never the secret, unless it may be shown again. */
export interface ListedKey {
  id: string;
  mode: KeyMode;
  kind: KeyKind;
  name: string | null;
  /** `sk_test_…a1b2`. */
  masked: string;
  /** Present only for keys that may be revealed again (test secret, publishable). */
  plaintext: string | null;
  permissions: Permissions | null;
  createdAt: number;
  lastUsedAt: number | null;
  /** When a rolled key stops working; null while it works indefinitely. */
  expiresAt: number | null;
  /** The key that replaced this one when it was rolled. */
  replacedBy: string | null;
}

/** A freshly made key: the only moment a live secret or restricted key is seen whole. */
export interface NewKey {
  id: string;
  plaintext: string;
  mode: KeyMode;
  kind: KeyKind;
}

const PREFIXES: Record<KeyKind, Record<KeyMode, KeyPrefix>> = {
  secret: { test: 'sk_test_', live: 'sk_live_' },
  publishable: { test: 'pk_test_', live: 'pk_live_' },
  restricted: { test: 'rk_test_', live: 'rk_live_' },
};

/**
 * Whether a key may be stored as it is, to be shown again: test secret keys (the docs show
 * them) and publishable keys (public by design). Live secret and restricted keys are kept
 * only as hashes and shown once.
 */
export function isRevealable(mode: KeyMode, kind: KeyKind): boolean {
  return kind === 'publishable' || (kind === 'secret' && mode === 'test');
}

async function insertKey(
  db: Db,
  accountId: string,
  mode: KeyMode,
  kind: KeyKind,
  now: number,
  extra: Pick<ApiKeysTable, 'name' | 'permissions'> = { name: null, permissions: null },
  given?: string,
): Promise<NewKey> {
  const prefix = PREFIXES[kind][mode];
  const plaintext = given ?? generateKey(prefix);
  const id = newId('key');
  await db
    .insertInto('api_keys')
    .values({
      id,
      account_id: accountId,
      mode,
      kind,
      name: extra.name,
      key_hash: sha256Hex(plaintext),
      plaintext: isRevealable(mode, kind) ? plaintext : null,
      prefix,
      last_four: plaintext.slice(-4),
      permissions: extra.permissions,
      created_at: now,
      last_used_at: null,
      expires_at: null,
      replaced_by: null,
    })
    .execute();
  return { id, plaintext, mode, kind };
}

/** The four keys every new account starts with. */
export async function issueDefaultKeys(db: Db, accountId: string, now: number): Promise<NewKey[]> {
  const keys: NewKey[] = [];
  for (const mode of ['test', 'live'] as const) {
    for (const kind of ['secret', 'publishable'] as const) {
      keys.push(await insertKey(db, accountId, mode, kind, now));
    }
  }
  return keys;
}

/**
 * Stores keys made elsewhere: an anonymous reader's sample pair, when it becomes the pair of
 * their guest sandbox (so what they already copied keeps working).
 */
export async function adoptSampleKeys(
  db: Db,
  accountId: string,
  keys: { secretKey: string; publishableKey: string },
  now: number,
): Promise<void> {
  await insertKey(db, accountId, 'test', 'secret', now, undefined, keys.secretKey);
  await insertKey(db, accountId, 'test', 'publishable', now, undefined, keys.publishableKey);
}

/** Makes a restricted key with a permission per resource. */
export async function createRestrictedKey(
  db: Db,
  accountId: string,
  mode: KeyMode,
  name: string,
  permissions: Permissions,
  now = Date.now(),
): Promise<NewKey> {
  return insertKey(db, accountId, mode, 'restricted', now, {
    name,
    permissions: JSON.stringify(permissions),
  });
}

/** Roll windows the dashboard offers, in milliseconds. */
export const ROLL_WINDOWS = {
  now: 0,
  '1h': 60 * 60 * 1000,
  '24h': 24 * 60 * 60 * 1000,
  '7d': 7 * 24 * 60 * 60 * 1000,
} as const;

export type RollWindow = keyof typeof ROLL_WINDOWS;

/**
 * Replaces a key with a new one of the same mode, kind, name and permissions. The old key
 * keeps working until `now + window` (or stops at once). Returns null when the account has
 * no such working key.
 */
export async function rollKey(
  db: Kysely<Database>,
  accountId: string,
  keyId: string,
  window: RollWindow,
  now = Date.now(),
): Promise<NewKey | null> {
  return db.transaction().execute(async (trx) => {
    const old = await trx
      .selectFrom('api_keys')
      .selectAll()
      .where('id', '=', keyId)
      .where('account_id', '=', accountId)
      .where('replaced_by', 'is', null)
      .executeTakeFirst();
    if (!old || (old.expires_at !== null && old.expires_at <= now)) return null;
    const fresh = await insertKey(trx, accountId, old.mode, old.kind, now, {
      name: old.name,
      permissions: old.permissions,
    });
    await trx
      .updateTable('api_keys')
      .set({ replaced_by: fresh.id, expires_at: now + ROLL_WINDOWS[window] })
      .where('id', '=', old.id)
      .execute();
    return fresh;
  });
}

/** Deletes a restricted key; it stops working at once. Standard keys can only be rolled. */
export async function deleteRestrictedKey(db: Db, accountId: string, keyId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('api_keys')
    .where('id', '=', keyId)
    .where('account_id', '=', accountId)
    .where('kind', '=', 'restricted')
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** The keys of one mode that still work (including rolled keys in their grace window). */
export async function listKeys(
  db: Db,
  accountId: string,
  mode: KeyMode,
  now = Date.now(),
): Promise<ListedKey[]> {
  const rows = await db
    .selectFrom('api_keys')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('mode', '=', mode)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .execute();
  return rows.map((row) => {
    const permissions = row.permissions ? (JSON.parse(row.permissions) as unknown) : null;
    return {
      id: row.id,
      mode: row.mode,
      kind: row.kind,
      name: row.name,
      masked: maskKeyParts(row.prefix, row.last_four),
      plaintext: row.plaintext,
      permissions: readPermissions(permissions),
      createdAt: row.created_at,
      lastUsedAt: row.last_used_at,
      expiresAt: row.expires_at,
      replacedBy: row.replaced_by,
    };
  });
}

/** A key of an account, known by its row whether or not it still works. */
export interface TracedKey {
  id: string;
  accountId: string;
  mode: KeyMode;
}

/** A key that authenticated a request. */
export interface AuthenticatedKey extends TracedKey {
  kind: KeyKind;
  permissions: Permissions | null;
  lastUsedAt: number | null;
}

/** The key lookup every sandbox request makes, compiled once. */
const keyByHash = preparedStatement(['keyHash'], (db: Kysely<Database>, { keyHash }) =>
  db
    .selectFrom('api_keys')
    .select(['id', 'account_id', 'mode', 'kind', 'permissions', 'expires_at', 'last_used_at'])
    .where('key_hash', '=', keyHash),
);

/**
 * Finds the key a request presented. The lookup is by SHA-256 of the key, so the database
 * compares digests, never the secret itself, and how long a comparison takes says nothing
 * about the key. A deleted key is unknown; a rolled key past its window is rejected, naming
 * the key it was, so the refusal can reach its account's log.
 */
export async function authenticateKey(
  db: Db,
  presented: string,
  now = Date.now(),
): Promise<{ key: AuthenticatedKey } | { rejected: 'unknown' } | { rejected: 'expired'; traced: TracedKey }> {
  const [row] = await keyByHash(db, { keyHash: sha256Hex(presented) });
  if (!row) return { rejected: 'unknown' };
  if (row.expires_at !== null && row.expires_at <= now) {
    return { rejected: 'expired', traced: { id: row.id, accountId: row.account_id, mode: row.mode } };
  }
  const permissions = row.permissions ? (JSON.parse(row.permissions) as unknown) : null;
  return {
    key: {
      id: row.id,
      accountId: row.account_id,
      mode: row.mode,
      kind: row.kind,
      permissions: readPermissions(permissions),
      lastUsedAt: row.last_used_at,
    },
  };
}

/** Notes that a key was used; written at most once a minute per key to spare the database. */
export async function markKeyUsed(db: Db, key: AuthenticatedKey, now = Date.now()): Promise<void> {
  if (key.lastUsedAt !== null && now - key.lastUsedAt < 60_000) return;
  await db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', key.id).execute();
}
