import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
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

describe('stopping', () => {
  it('closes the database on SIGTERM, so SQLite folds its write-ahead log into the file', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'keyway-stop-'));
    const file = join(scratch, 'keyway.sqlite');
    try {
      const server = await startServer({ DATABASE_URL: `file:${file}` });
      // Migrating at start wrote to the log; a page view reads through it.
      expect(existsSync(`${file}-wal`)).toBe(true);
      expect((await fetch(`${server.baseUrl}/docs`)).status).toBe(200);
      await server.stop();
      expect(server.process.exitCode, server.output()).toBe(0);
      expect(existsSync(`${file}-wal`)).toBe(false);
      const db = new Database(file, { readonly: true });
      try {
        expect(db.prepare('SELECT count(*) AS n FROM kysely_migration').get()).toMatchObject({
          n: expect.any(Number),
        });
      } finally {
        db.close();
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
