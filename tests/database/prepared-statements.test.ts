import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { preparedQuery } from '../../src/lib/db/prepared.ts';
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
});
