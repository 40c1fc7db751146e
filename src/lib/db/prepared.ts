import type { Compilable, Kysely } from 'kysely';
import { preparedStatement } from './prepared-statement.ts';

/**
 * A query of one value that runs on every page view, built and compiled to SQL once (see
 * preparedStatement, which this is with the one value named): the value goes wherever the
 * query uses it.
 */
export function preparedQuery<DB, Row>(build: (db: Kysely<DB>, value: string) => Compilable<Row>) {
  const statement = preparedStatement<DB, 'value', Row>(['value'], (db, values) => build(db, values.value));
  return (db: Kysely<DB>, value: string): Promise<Row[]> => statement(db, { value });
}
