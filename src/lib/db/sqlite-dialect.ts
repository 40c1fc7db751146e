import type SQLite from 'better-sqlite3';
import {
  SqliteAdapter,
  SqliteDialect,
  type DialectAdapter,
  type Kysely,
  type MigrationLockOptions,
  type SqliteDatabase,
} from 'kysely';

/** A lock older than this was left by a process that died mid-migration, and is taken over. */
const STALE_LOCK_MS = 60_000;
const POLL_MS = 50;

/**
 * Kysely's SQLite adapter assumes one process: its migration lock does nothing, and it runs
 * migrations outside a transaction. Two Keyway processes starting on one file would then
 * both apply the same migration. Here the lock row becomes a mutex between processes (an
 * UPDATE that succeeds only while the row is free; the row holds the time it was taken,
 * so a crashed holder does not block for ever), and migrations run in a transaction, as
 * SQLite's DDL is transactional.
 */
class LockingSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }

  override async acquireMigrationLock(db: Kysely<any>, options: MigrationLockOptions): Promise<void> {
    for (;;) {
      const now = Date.now();
      const taken = await db
        .updateTable(options.lockTable)
        .set({ is_locked: now })
        .where('id', '=', options.lockRowId)
        .where((eb) => eb.or([eb('is_locked', '=', 0), eb('is_locked', '<', now - STALE_LOCK_MS)]))
        .executeTakeFirst();
      if (taken.numUpdatedRows > 0n) return;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  override async releaseMigrationLock(db: Kysely<any>, options: MigrationLockOptions): Promise<void> {
    await db
      .updateTable(options.lockTable)
      .set({ is_locked: 0 })
      .where('id', '=', options.lockRowId)
      .execute();
  }
}

export class LockingSqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new LockingSqliteAdapter();
  }
}

/** Distinct SQL texts whose compiled statements are kept; the oldest goes first past this. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * The database as Kysely's SQLite driver sees it, keeping each SQL text's compiled
 * statement. The driver prepares every query afresh, and compiling SQL was the largest
 * single cost of a signed-in page view (the session and object-id queries run on each).
 * A statement is reusable once it has run; Keyway never streams rows, the one use that
 * would keep a statement busy.
 */
export function withStatementCache(connection: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (!statement) {
        statement = connection.prepare(sql);
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
        statements.set(sql, statement);
      }
      return statement;
    },
    close() {
      statements.clear();
      connection.close();
    },
  };
}
