import { sql, type RawBuilder } from 'kysely';

/** Escapes LIKE's wildcards in text a person typed, so it matches only itself. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/**
 * `column LIKE pattern ESCAPE '\'`, written out because SQLite has no default escape
 * character and PostgreSQL's is a backslash: this way both read the pattern alike.
 */
export function like(column: string, pattern: string): RawBuilder<boolean> {
  return sql<boolean>`${sql.ref(column)} like ${pattern} escape '\\'`;
}
