import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/lib/db/schema.ts';
import { needsPostgres, openMigrated, POSTGRES, type ScratchDatabase } from '../support/databases.ts';

/**
 * PostgreSQL may end a connection the pool holds idle (a restart, a failover, an operator's
 * pg_terminate_backend). The server must outlive it: node-postgres reports it as an 'error'
 * event on the pool, which stops the process when nothing listens.
 */
describe('an idle PostgreSQL connection ended by the server', needsPostgres, () => {
  let scratch: ScratchDatabase;
  let db: Kysely<Database>;
  beforeAll(async () => {
    scratch = await POSTGRES.create();
    db = await openMigrated(scratch.url);
  });
  afterAll(async () => {
    await db.destroy();
    await scratch.drop();
  });

  it('is dropped with a warning, and the next query runs on a new connection', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const uncaught = vi.fn();
    process.on('uncaughtException', uncaught);
    try {
      const before = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db);
      const admin = new pg.Client({ connectionString: scratch.url });
      await admin.connect();
      await admin.query('select pg_terminate_backend($1)', [before.rows[0]!.pid]);
      await admin.end();
      await vi.waitFor(() => expect(warn).toHaveBeenCalled());
      expect(String(warn.mock.calls[0]![0])).toMatch(/closed an idle connection/);
      expect(String(warn.mock.calls[0]![0])).not.toContain('keyway:keyway');
      const after = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db);
      expect(after.rows[0]!.pid).not.toBe(before.rows[0]!.pid);
      expect(uncaught).not.toHaveBeenCalled();
    } finally {
      process.off('uncaughtException', uncaught);
      warn.mockRestore();
    }
  });
});
