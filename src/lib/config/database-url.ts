import { isAbsolute, resolve } from 'node:path';

/** Where Keyway keeps its state, from `DATABASE_URL`. */
export type DatabaseLocation =
  { kind: 'sqlite'; path: string } | { kind: 'postgres'; connectionString: string; display: string };

/**
 * Whether one server process is the database's only writer, and so may keep in memory what
 * only it can change: each key's rate windows, and signed-in readers' session rows (watched
 * for changes on its own connection). An SQLite file is served by one process; a PostgreSQL
 * database may be shared by several, which must read and count there.
 */
export function servedByOneProcess(location: DatabaseLocation): boolean {
  return location.kind === 'sqlite';
}

/** The default: an SQLite file beside the project, created on first start. */
export const DEFAULT_DATABASE_URL = 'file:./.data/keyway.sqlite';

/**
 * Parses `DATABASE_URL`: `file:<path>` (relative paths from the working directory) for
 * SQLite, `postgres://` or `postgresql://` for PostgreSQL. Anything else throws a message
 * that says what is accepted.
 */
export function parseDatabaseUrl(value: string, cwd = process.cwd()): DatabaseLocation {
  if (value.startsWith('file:')) {
    const path = value.slice('file:'.length).replace(/^\/\/(?=\/)/, '');
    if (!path) throw new Error('expected a file path after file:, e.g. file:./.data/keyway.sqlite');
    return { kind: 'sqlite', path: isAbsolute(path) ? path : resolve(cwd, path) };
  }
  if (/^postgres(?:ql)?:\/\//.test(value)) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new Error('expected a URL such as postgres://user:password@host:5432/keyway');
    }
    if (!url.hostname) throw new Error('expected a host name, e.g. postgres://user@localhost/keyway');
    if (url.pathname.length <= 1)
      throw new Error('expected a database name, e.g. postgres://user@localhost/keyway');
    return { kind: 'postgres', connectionString: value, display: redactPassword(value) };
  }
  throw new Error('expected file:<path> for SQLite or postgres://… for PostgreSQL');
}

/** What a secret is shown as in logs and error messages. */
export const REDACTED = '***';

/**
 * A URL with its password replaced by {@link REDACTED}, otherwise as written, fit for logs and
 * error messages. It reads text, not a parsed URL, because a value refused as invalid is shown
 * too. The password runs to the last `@`, so one holding `@` or `/` is hidden whole: when in
 * doubt this hides more, never less.
 */
export function redactPassword(value: string): string {
  return value.replace(/\/\/([^:/?#]*):.*@/, `//$1:${REDACTED}@`);
}
