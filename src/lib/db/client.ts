import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { DatabaseLocation } from '../config/database-url.ts';
import { ChangeWatch, registerChangeWatch, watchedDialect } from './change-watch.ts';
import { enableGroupCommit } from './group-commit.ts';
import { LockingSqliteDialect, withStatementCache } from './sqlite-dialect.ts';
import type { Database } from './schema.ts';

/** An open database and what it is, for messages. */
export interface KeywayDatabase {
  db: Kysely<Database>;
  location: DatabaseLocation;
  /** `sqlite <path>` or `postgres <url without password>`. */
  description: string;
  /**
   * Counts changes to the tables a signed-in reader is read from (see change-watch.ts): on
   * SQLite, whose file one process serves and so sees every write. Null on PostgreSQL.
   */
  changes: ChangeWatch | null;
}

/** Thrown when the database cannot be opened or reached; the message says which and why. */
export class DatabaseUnavailableError extends Error {}

// PostgreSQL sends bigint (int8) as text; our bigints are millisecond times, well inside
// JavaScript's exact integer range, so read them as numbers like SQLite does.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/**
 * Opens an SQLite file in WAL mode. Switching a new file to WAL takes a lock that SQLite
 * does not wait for (its busy handler is not used there), so processes starting together
 * can see "database is locked" once: that is retried for a few seconds.
 */
async function openSqlite(path: string): Promise<SQLite.Database> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const connection = new SQLite(path, { timeout: 10_000 });
    try {
      connection.pragma('busy_timeout = 10000');
      connection.pragma('journal_mode = WAL');
      connection.pragma('foreign_keys = ON');
      connection.pragma('synchronous = NORMAL');
      // Folding the log back into the file (a checkpoint) syncs both to disk, and it runs inside
      // the commit that crosses this many pages: with SQLite's 1,000 it was most of the commit
      // time of a busy sandbox. Every 4,000 pages (16 MB) it took about a quarter less, at the
      // price of a longer pause when it does run. Commits are as durable either way.
      connection.pragma('wal_autocheckpoint = 4000');
      return connection;
    } catch (error) {
      connection.close();
      const busy = (error as { code?: string }).code?.startsWith('SQLITE_BUSY');
      if (!busy || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25 + Math.random() * 50));
    }
  }
}

/**
 * Opens the database: an SQLite file in WAL mode (its folder created if missing), or a
 * PostgreSQL pool. It checks the connection at once, so a bad path or an unreachable
 * server fails at start, not at the first reader.
 */
export async function openDatabase(location: DatabaseLocation): Promise<KeywayDatabase> {
  if (location.kind === 'sqlite') {
    let connection: SQLite.Database;
    try {
      mkdirSync(dirname(location.path), { recursive: true });
      connection = await openSqlite(location.path);
    } catch (error) {
      throw new DatabaseUnavailableError(
        `Cannot open the SQLite database at ${location.path}: ${(error as Error).message}`,
      );
    }
    // Watched: the one process serving the file sees every change on this connection
    // (servedByOneProcess), so it may keep session rows until one changes.
    const changes = new ChangeWatch();
    const db = new Kysely<Database>({
      dialect: watchedDialect(
        new LockingSqliteDialect({ database: withStatementCache(connection) }),
        changes,
      ),
    });
    registerChangeWatch(db, changes);
    enableGroupCommit(db);
    return { db, location, description: `sqlite ${location.path}`, changes };
  }

  const pool = new pg.Pool({
    connectionString: location.connectionString,
    max: 10,
    connectionTimeoutMillis: 5000,
  });
  // An idle connection the server ends (a restart, a failover, an administrator) is reported
  // on the pool, and an 'error' event nobody listens to would stop the whole process. The pool
  // has already dropped that connection; the next query opens a new one.
  pool.on('error', (error) => {
    console.warn(`PostgreSQL at ${location.display} closed an idle connection: ${error.message}`);
  });
  // No change watch here: several processes may write one PostgreSQL database
  // (servedByOneProcess), and a process cannot learn of another's change before that one's
  // reader may come to it (see session.ts).
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy().catch(() => {});
    throw new DatabaseUnavailableError(
      `Cannot reach PostgreSQL at ${location.display}: ${(error as Error).message || String(error)}`,
    );
  }
  return { db, location, description: `postgres ${location.display}`, changes: null };
}
