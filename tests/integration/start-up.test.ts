import { describe, expect, it } from 'vitest';
import { startServer } from '../support/server.ts';

describe('starting with a database that cannot be used', () => {
  it.each([
    [
      'a malformed DATABASE_URL',
      'mysql://root:hunter2@db/keyway',
      'DATABASE_URL="mysql://root:***@db/keyway": expected file:<path> for SQLite or postgres://… for PostgreSQL',
    ],
    [
      'an unreachable PostgreSQL',
      'postgres://keyway:secret@127.0.0.1:1/keyway',
      'Keyway cannot start: Cannot reach PostgreSQL at postgres://keyway:***@127.0.0.1:1/keyway',
    ],
  ])('stops with a clear message for %s', async (_case, url, message) => {
    const failure = await startServer({ DATABASE_URL: url }).then(
      async (server) => {
        await server.stop();
        return null;
      },
      (error: Error) => error.message,
    );
    expect(failure).toContain(message);
    expect(failure).not.toContain('hunter2');
    expect(failure).not.toMatch(/secret@/);
  });
});
