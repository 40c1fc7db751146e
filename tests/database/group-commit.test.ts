import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { CompiledQuery, Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GroupCommit } from '../../src/lib/db/group-commit.ts';
import type { Database } from '../../src/lib/db/schema.ts';
import { LockingSqliteDialect, withStatementCache } from '../../src/lib/db/sqlite-dialect.ts';

/**
 * The group commit runs the writes that arrive together in one SQLite transaction. What must
 * hold: a piece's promise settles only once its writes are committed (another connection sees
 * them), a piece that fails loses its own writes only, and a transaction that fails to commit
 * acknowledges none of its pieces.
 */

// The group commit takes Kysely<Database>; these tests use tables of their own.
interface Tables {
  parents: { id: string };
  notes: { id: string; parent_id: string | null };
}

let folder: string;
let path: string;
let db: Kysely<Tables>;
let group: GroupCommit;
/** A second connection to the same file, as another reader would see it. */
let observer: SQLite.Database;
/** How many times the writing connection has run COMMIT. */
let commits = 0;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'keyway-group-'));
  path = join(folder, 'group.sqlite');
  const connection = new SQLite(path);
  connection.pragma('journal_mode = WAL');
  connection.pragma('foreign_keys = ON');
  const cached = withStatementCache(connection);
  db = new Kysely<Tables>({
    dialect: new LockingSqliteDialect({
      database: {
        close: () => cached.close(),
        prepare(sql: string) {
          const statement = cached.prepare(sql);
          if (sql.trim().toLowerCase() !== 'commit') return statement;
          return new Proxy(statement, {
            get(target, property) {
              if (property !== 'run') return Reflect.get(target, property, target);
              return (...args: unknown[]) => {
                commits++;
                return (target.run as (...a: unknown[]) => unknown)(...args);
              };
            },
          });
        },
      },
    }),
  });
  await db.executeQuery(CompiledQuery.raw('create table parents (id text primary key)'));
  // Checked at COMMIT, not at the insert: a way to make a whole transaction fail to commit.
  await db.executeQuery(
    CompiledQuery.raw(
      'create table notes (id text primary key, parent_id text references parents (id) deferrable initially deferred)',
    ),
  );
  group = new GroupCommit(db as unknown as Kysely<Database>);
  observer = new SQLite(path, { readonly: true });
});

afterAll(async () => {
  observer?.close();
  await db?.destroy();
  rmSync(folder, { recursive: true, force: true });
});

const run = <T>(work: (trx: Kysely<Tables>) => Promise<T>) =>
  group.run((trx) => work(trx as unknown as Kysely<Tables>));

const seen = (id: string) => observer.prepare('select id from notes where id = ?').get(id) !== undefined;

describe('group commit', () => {
  it('answers each piece only once another connection can read what it wrote', async () => {
    const visibleWhenAnswered = await Promise.all(
      ['a1', 'a2', 'a3'].map((id) =>
        run(async (trx) => {
          await trx.insertInto('notes').values({ id, parent_id: null }).execute();
          return id;
        }).then((written) => seen(written)),
      ),
    );
    expect(visibleWhenAnswered).toEqual([true, true, true]);
  });

  it('commits the pieces that arrive together once', async () => {
    const before = commits;
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        run((trx) =>
          trx
            .insertInto('notes')
            .values({ id: `b${i}`, parent_id: null })
            .execute(),
        ),
      ),
    );
    expect(commits - before).toBe(1);
    for (let i = 0; i < 10; i++) expect(seen(`b${i}`)).toBe(true);
  });

  it('undoes the writes of a piece that fails, and only its own, and hands it its error', async () => {
    const outcomes = await Promise.allSettled([
      run((trx) => trx.insertInto('notes').values({ id: 'c1', parent_id: null }).execute()),
      run(async (trx) => {
        await trx.insertInto('notes').values({ id: 'c2', parent_id: null }).execute();
        throw new Error('the second piece changed its mind');
      }),
      run((trx) => trx.insertInto('notes').values({ id: 'c3', parent_id: null }).execute()),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason.message).toBe('the second piece changed its mind');
    expect([seen('c1'), seen('c2'), seen('c3')]).toEqual([true, false, true]);
  });

  it('refuses every piece of a transaction that cannot commit, and writes none of them', async () => {
    const outcomes = await Promise.allSettled([
      run((trx) => trx.insertInto('notes').values({ id: 'd1', parent_id: null }).execute()),
      // Its missing parent is noticed only at COMMIT, which then fails for the whole transaction.
      run((trx) => trx.insertInto('notes').values({ id: 'd2', parent_id: 'nobody' }).execute()),
      run((trx) => trx.insertInto('notes').values({ id: 'd3', parent_id: null }).execute()),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect([seen('d1'), seen('d2'), seen('d3')]).toEqual([false, false, false]);
    // And the queue goes on: the next piece commits in a transaction of its own.
    await run((trx) => trx.insertInto('notes').values({ id: 'd4', parent_id: null }).execute());
    expect(seen('d4')).toBe(true);
  });

  it('settles once everything queued has committed', async () => {
    const pieces = ['e1', 'e2'].map((id) =>
      run((trx) => trx.insertInto('notes').values({ id, parent_id: null }).execute()),
    );
    await group.settled();
    expect([seen('e1'), seen('e2')]).toEqual([true, true]);
    await Promise.all(pieces);
  });
});
