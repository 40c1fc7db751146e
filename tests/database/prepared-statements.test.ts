import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { preparedQuery } from '../../src/lib/db/prepared.ts';
import { preparedStatement } from '../../src/lib/db/prepared-statement.ts';
import { withStatementCache } from '../../src/lib/db/sqlite-dialect.ts';

describe('prepared statements', () => {
  it('keep one compiled statement per SQL text, dropping the oldest past the limit', () => {
    const cached = withStatementCache(new SQLite(':memory:'));
    const first = cached.prepare('SELECT 1');
    expect(cached.prepare('SELECT 1')).toBe(first);
    for (let i = 0; i < 500; i++) cached.prepare(`SELECT ${i + 2}`);
    expect(cached.prepare('SELECT 1')).not.toBe(first);
    cached.close();
  });

  it('compile a query once and put each call’s value everywhere the marker was', async () => {
    interface Tables {
      people: { name: string; team: string };
    }
    const db = new Kysely<Tables>({
      dialect: new SqliteDialect({ database: withStatementCache(new SQLite(':memory:')) }),
    });
    await db.schema.createTable('people').addColumn('name', 'text').addColumn('team', 'text').execute();
    await db
      .insertInto('people')
      .values([
        { name: 'ada', team: 'a' },
        { name: 'bob', team: 'b' },
        { name: 'b', team: 'x' },
      ])
      .execute();
    let builds = 0;
    const byTeamOrName = preparedQuery<Tables, { name: string }>((kysely, value) => {
      builds++;
      return kysely
        .selectFrom('people')
        .select('name')
        .where((eb) => eb.or([eb('team', '=', value), eb('name', '=', value)]))
        .orderBy('name');
    });
    expect(await byTeamOrName(db, 'a')).toEqual([{ name: 'ada' }]);
    expect(await byTeamOrName(db, 'b')).toEqual([{ name: 'b' }, { name: 'bob' }]);
    expect(await byTeamOrName(db, 'zzz')).toEqual([]);
    expect(builds).toBe(1);
    await db.destroy();
  });

  it('compile a statement with named values once per dialect, in transactions too, keeping the values it was built with', async () => {
    interface Tables {
      people: { name: string; team: string; joined: number | null };
    }
    const db = new Kysely<Tables>({
      dialect: new SqliteDialect({ database: withStatementCache(new SQLite(':memory:')) }),
    });
    await db.schema
      .createTable('people')
      .addColumn('name', 'text')
      .addColumn('team', 'text')
      .addColumn('joined', 'integer')
      .execute();
    let builds = 0;
    const join = preparedStatement(['name', 'team'], (kysely: Kysely<Tables>, { name, team }) => {
      builds++;
      return kysely.insertInto('people').values({ name, team, joined: 1999 });
    });
    await join(db, { name: 'ada', team: 'a' });
    // A transaction is a new Kysely object each time; the compiled text is still reused.
    await db.transaction().execute((trx) => join(trx, { name: 'bob', team: 'b' }));
    await db
      .transaction()
      .execute((trx) => join(trx, { name: '\u0000prepared-value:team\u0000', team: 'c' }));
    expect(builds).toBe(1);
    expect(await db.selectFrom('people').selectAll().orderBy('team').execute()).toEqual([
      { name: 'ada', team: 'a', joined: 1999 },
      { name: 'bob', team: 'b', joined: 1999 },
      { name: '\u0000prepared-value:team\u0000', team: 'c', joined: 1999 },
    ]);

    // A name the query does not bind as a value would silently be dropped: it is refused instead.
    const unbound = preparedStatement(['name', 'team'], (kysely: Kysely<Tables>, { name }) =>
      kysely.insertInto('people').values({ name, team: 'fixed', joined: null }),
    );
    await expect(unbound(db, { name: 'eve', team: 'e' })).rejects.toThrow('does not bind "team"');
    expect(await db.selectFrom('people').select('name').where('name', '=', 'eve').execute()).toEqual([]);
    await db.destroy();
  });
});
