import { CompiledQuery, type Compilable, type Kysely } from 'kysely';

/** A stand-in parameter, to find where the real value goes in a compiled query. */
const MARKER = '\u0000prepared-parameter\u0000';

/**
 * A query that runs on every page view, built and compiled to SQL once per database; each
 * call only puts its value where the marker was (every occurrence), skipping Kysely's
 * per-call building and compiling.
 */
export function preparedQuery<DB, Row>(build: (db: Kysely<DB>, value: string) => Compilable<Row>) {
  const compiledFor = new WeakMap<Kysely<DB>, { sql: string; parameters: readonly unknown[] }>();
  return async (db: Kysely<DB>, value: string): Promise<Row[]> => {
    let compiled = compiledFor.get(db);
    if (!compiled) {
      const query = build(db, MARKER).compile();
      compiled = { sql: query.sql, parameters: query.parameters };
      compiledFor.set(db, compiled);
    }
    const parameters = compiled.parameters.map((parameter) => (parameter === MARKER ? value : parameter));
    const result = await db.executeQuery<Row>(CompiledQuery.raw(compiled.sql, parameters));
    return result.rows;
  };
}
