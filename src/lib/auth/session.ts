import type { Kysely } from 'kysely';
import { readerCache } from '../cache/reader-cache.ts';
import { changeWatchOf, type ChangeWatch } from '../db/change-watch.ts';
import { preparedQuery } from '../db/prepared.ts';
import type { Database, Role } from '../db/schema.ts';
import { digestsEqual, randomToken, sha256Hex } from '../crypto.ts';

/** A session ends after 30 days without use. */
export const SESSION_INACTIVITY_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * And 90 days after it began, however often it is used, so a stolen cookie that is kept
 * busy does not work forever: the reader then signs in again.
 */
export const SESSION_LIFETIME_MS = 90 * 24 * 60 * 60 * 1000;
/** How often use moves the expiry forward (a write at most hourly per session). */
export const SESSION_REFRESH_MS = 60 * 60 * 1000;

/** A signed-in reader, as a validated session describes them. */
export interface SessionReader {
  sessionId: string;
  userId: string;
  email: string;
  /** The account the session works with, and the user's role and name for it. */
  accountId: string;
  accountName: string;
  role: Role;
  /** Every account the user belongs to, for the account picker, in the order they joined. */
  accounts: { id: string; name: string; role: Role }[];
  /** The account's current test keys (null only if an account has none, which sign-up prevents). */
  testSecretKey: string | null;
  testPublishableKey: string | null;
  /** True when this request moved the session's expiry, so the cookie should be sent again. */
  refreshed: boolean;
}

/**
 * Starts a session (Lucia's design): the token is `<id>.<secret>`, each 120 random bits;
 * only SHA-256 of the secret is stored, so a leaked table does not yield usable cookies.
 */
export async function createSession(
  db: Kysely<Database>,
  userId: string,
  accountId: string,
  now = Date.now(),
): Promise<string> {
  const id = randomToken();
  const secret = randomToken();
  await db
    .insertInto('sessions')
    .values({
      id,
      secret_hash: sha256Hex(secret),
      user_id: userId,
      account_id: accountId,
      created_at: now,
      last_verified_at: now,
    })
    .execute();
  return `${id}.${secret}`;
}

const TOKEN_SHAPE = /^[a-z2-7]{24}\.[a-z2-7]{24}$/;

/**
 * The query behind a session check, built for one id: one row per account the user belongs
 * to, each with the role and, for the account the session works with, its test keys.
 */
function sessionQuery(db: Kysely<Database>, id: string) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .innerJoin('memberships', 'memberships.user_id', 'sessions.user_id')
    .innerJoin('accounts', 'accounts.id', 'memberships.account_id')
    .select([
      'sessions.id',
      'sessions.secret_hash',
      'sessions.user_id',
      'sessions.account_id',
      'sessions.created_at',
      'sessions.last_verified_at',
      'users.email',
      'memberships.account_id as member_of',
      'memberships.role',
      'accounts.name as account_name',
    ])
    .select((eb) =>
      (['secret', 'publishable'] as const).map((kind) =>
        eb
          .selectFrom('api_keys')
          .select('api_keys.plaintext')
          .whereRef('api_keys.account_id', '=', 'memberships.account_id')
          .whereRef('api_keys.account_id', '=', 'sessions.account_id')
          .where('api_keys.mode', '=', 'test')
          .where('api_keys.kind', '=', kind)
          .where('api_keys.replaced_by', 'is', null)
          .orderBy('api_keys.created_at', 'desc')
          .limit(1)
          .as(`test_${kind}_key`),
      ),
    )
    .where('sessions.id', '=', id)
    .orderBy('memberships.created_at', 'asc')
    .orderBy('memberships.account_id', 'asc');
}

type SessionRow = NonNullable<Awaited<ReturnType<ReturnType<typeof sessionQuery>['executeTakeFirst']>>>;

/**
 * Runs the session query. Every docs page view by a signed-in reader makes it, so it is
 * compiled to SQL once per database and only the id changes per call.
 */
const findSessionRows = preparedQuery<Database, SessionRow>(sessionQuery);

/** A session's rows as read, and what was true when they were. */
interface CachedSession {
  watch: ChangeWatch;
  /** The watch's count when the read began: the rows hold while it has not moved. */
  generation: number;
  cachedAt: number;
  rows: SessionRow[];
}

/**
 * How long cached rows are trusted even when no change was seen: a write made outside the
 * server (an operator's own SQL on the file) does not pass through its connection, and this
 * bounds how long such a change can go unseen.
 */
const SESSION_CACHE_MS = 60_000;

/**
 * The session query's rows, from the reader cache while nothing they were read from has
 * changed since (see src/lib/db/change-watch.ts). A revoked key, a removed member, a changed
 * role, a session ended: each moves the count, and the next view reads afresh. Only an SQLite
 * database, which one process serves, has a watch: on PostgreSQL another process may make a
 * change that this one could learn of only after the reader's next request has arrived, so
 * every view reads. Only sessions that exist are kept, so made-up ids cannot fill the cache.
 */
async function sessionRows(db: Kysely<Database>, id: string, now: number): Promise<SessionRow[]> {
  const watch = changeWatchOf(db);
  const cache = watch ? readerCache() : null;
  const key = `session:${id}`;
  if (watch && cache) {
    const hit = cache.get(key) as CachedSession | undefined;
    if (
      hit &&
      hit.watch === watch &&
      hit.generation === watch.generation &&
      now >= hit.cachedAt &&
      now - hit.cachedAt < SESSION_CACHE_MS
    ) {
      return hit.rows;
    }
  }
  const generation = watch?.generation;
  const rows = await findSessionRows(db, id);
  if (watch && cache && rows.length > 0 && watch.generation === generation) {
    const entry: CachedSession = { watch, generation, cachedAt: now, rows };
    cache.set(key, entry);
  }
  return rows;
}

/**
 * Checks a session token. One indexed lookup reads the session, its user, their accounts
 * and roles, and the current account's test keys together, so a signed-in page costs a
 * single query, and none while the reader cache holds its rows (sessionRows). The secret is compared in constant time; a session idle for 30 days or
 * begun 90 days ago is expired and deleted.
 * A user with no account left (removed from every one) has no session. When the user was
 * removed from the account the session worked with, the session moves to another of theirs.
 */
export async function validateSessionToken(
  db: Kysely<Database>,
  token: string,
  now = Date.now(),
): Promise<SessionReader | null> {
  if (!TOKEN_SHAPE.test(token)) return null;
  const [id, secret] = token.split('.') as [string, string];
  const rows = await sessionRows(db, id, now);
  const first = rows[0];
  if (!first || !digestsEqual(sha256Hex(secret), first.secret_hash)) return null;
  if (
    now - first.last_verified_at >= SESSION_INACTIVITY_MS ||
    now - first.created_at >= SESSION_LIFETIME_MS
  ) {
    await db.deleteFrom('sessions').where('id', '=', id).execute();
    return null;
  }
  const current = rows.find((row) => row.member_of === row.account_id);
  if (!current) {
    // No longer a member of the session's account: carry on in the first one they have.
    await db.updateTable('sessions').set({ account_id: first.member_of }).where('id', '=', id).execute();
    return validateSessionToken(db, token, now);
  }
  const refreshed = now - first.last_verified_at >= SESSION_REFRESH_MS;
  if (refreshed) {
    await db.updateTable('sessions').set({ last_verified_at: now }).where('id', '=', id).execute();
  }
  return {
    sessionId: current.id,
    userId: current.user_id,
    email: current.email,
    accountId: current.account_id,
    accountName: current.account_name,
    role: current.role,
    accounts: rows.map((row) => ({ id: row.member_of, name: row.account_name, role: row.role })),
    testSecretKey: current.test_secret_key ?? null,
    testPublishableKey: current.test_publishable_key ?? null,
    refreshed,
  };
}

/** Ends a session server-side; its cookie is then worthless. */
export async function invalidateSession(db: Kysely<Database>, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

/**
 * Which of these sessions are still open (not signed out, not expired): one query for many,
 * so live streams can check every member's session on each heartbeat.
 */
export async function openSessionIds(
  db: Kysely<Database>,
  ids: readonly string[],
  now = Date.now(),
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('sessions')
    .select('id')
    .where('id', 'in', ids)
    .where('last_verified_at', '>', now - SESSION_INACTIVITY_MS)
    .where('created_at', '>', now - SESSION_LIFETIME_MS)
    .execute();
  return new Set(rows.map((row) => row.id));
}
