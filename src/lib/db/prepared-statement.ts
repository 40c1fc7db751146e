import { CompiledQuery, type Compilable, type DialectAdapter, type Kysely } from 'kysely';

/** Where a named value goes in the query while it is built; never a value a caller could send. */
const marker = (name: string) => `\u0000prepared-value:${name}\u0000`;

interface Compiled {
  sql: string;
  /** Each parameter's name when a run supplies it, or the value the query was built with. */
  parameters: ReadonlyArray<{ name: string } | { fixed: unknown }>;
}

/**
 * A query with named values that runs on every sandbox request (the key lookup, a create's
 * inserts), built and compiled to SQL once per dialect; each run only puts its values where
 * the markers were, skipping Kysely's per-call building and compiling. Unlike `preparedQuery`
 * it works inside transactions, which are new objects each time: the compiled text is kept per
 * dialect, the one thing it depends on.
 *
 * `build` gets a stand-in for each name, typed `never` so that it fits any column; it must use
 * each one as a bound value (not in an expression Kysely rewrites), which is checked when the
 * query is first compiled.
 */
export function preparedStatement<DB, Name extends string, Row = unknown>(
  names: readonly Name[],
  build: (db: Kysely<DB>, values: Record<Name, never>) => Compilable<Row>,
) {
  const compiledFor = new WeakMap<DialectAdapter, Compiled>();
  const compile = (db: Kysely<DB>): Compiled => {
    const stand = Object.fromEntries(names.map((name) => [name, marker(name)])) as Record<Name, never>;
    const query = build(db, stand).compile();
    const byMarker = new Map<unknown, string>(names.map((name) => [marker(name), name]));
    const parameters = query.parameters.map((value) =>
      byMarker.has(value) ? { name: byMarker.get(value)! } : { fixed: value },
    );
    for (const name of names) {
      if (!parameters.some((parameter) => 'name' in parameter && parameter.name === name))
        throw new Error(`The prepared statement does not bind "${name}" as a value.`);
    }
    return { sql: query.sql, parameters };
  };
  return async (db: Kysely<DB>, values: Record<Name, unknown>): Promise<Row[]> => {
    const adapter = db.getExecutor().adapter;
    let compiled = compiledFor.get(adapter);
    if (!compiled) {
      compiled = compile(db);
      compiledFor.set(adapter, compiled);
    }
    const parameters = compiled.parameters.map((parameter) =>
      'name' in parameter ? values[parameter.name as Name] : parameter.fixed,
    );
    const result = await db.executeQuery<Row>(CompiledQuery.raw(compiled.sql, parameters));
    return result.rows;
  };
}
