import { isAbsolute, resolve } from 'node:path';

/** Where Keyway keeps its state, from `DATABASE_URL`. */
export type DatabaseLocation =
  { kind: 'sqlite'; path: string } | { kind: 'postgres'; connectionString: string; display: string };

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
    return { kind: 'postgres', connectionString: value, display: redactPassword(url) };
  }
  throw new Error('expected file:<path> for SQLite or postgres://… for PostgreSQL');
}

/** The URL with its password replaced, fit for logs and error messages. */
function redactPassword(url: URL): string {
  const copy = new URL(url);
  if (copy.password) copy.password = '***';
  return copy.toString();
}
