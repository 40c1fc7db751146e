import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe } from 'vitest';
import { openDatabase } from '../../src/lib/db/client.ts';
import { parseDatabaseUrl } from '../../src/lib/config/database-url.ts';
import { migrateToLatest } from '../../src/lib/db/migrate.ts';
import { settleGroupCommit } from '../../src/lib/db/group-commit.ts';
import type { Database } from '../../src/lib/db/schema.ts';
import { skipBecause } from './skip-reason.ts';

/** A fresh, empty database for one test file, and how to get rid of it. */
export interface ScratchDatabase {
  url: string;
  drop: () => Promise<void>;
}

/** One kind of database the suite runs against. */
export interface DatabaseKind {
  name: 'sqlite' | 'postgres';
  create: () => Promise<ScratchDatabase>;
}

/** SQLite, in a scratch folder: always available. */
export const SQLITE: DatabaseKind = {
  name: 'sqlite',
  create: async () => {
    const folder = mkdtempSync(join(tmpdir(), 'keyway-db-'));
    return {
      url: `file:${join(folder, 'keyway.sqlite')}`,
      drop: async () => rmSync(folder, { recursive: true, force: true }),
    };
  },
};

/** Why the PostgreSQL tests did not run, or undefined when they do. */
const POSTGRES_MISSING = process.env.TEST_DATABASE_URL ? undefined : 'TEST_DATABASE_URL not set';

/**
 * PostgreSQL, at the server TEST_DATABASE_URL names (.ci/run sets it). Each scratch database
 * is created next to the one it names and dropped afterwards, so test files never share state.
 */
export const POSTGRES: DatabaseKind = {
  name: 'postgres',
  create: async () => {
    const adminUrl = process.env.TEST_DATABASE_URL;
    if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set: skip this suite with needsPostgres.');
    const name = `keyway_t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      drop: async () => {
        const client = new pg.Client({ connectionString: adminUrl });
        await client.connect();
        try {
          // FORCE cannot end a backend this role may not signal (an autovacuum worker that
          // started on the new database, on a busy machine): such a backend ends soon by
          // itself, so try again a few times before failing.
          for (let attempt = 1; ; attempt++) {
            try {
              await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
              break;
            } catch (error) {
              if (attempt >= 5) throw error;
              await new Promise((resolve) => setTimeout(resolve, 300 * attempt));
            }
          }
        } finally {
          await client.end();
        }
      },
    };
  },
};

/**
 * `describe` options for a suite that needs PostgreSQL: without TEST_DATABASE_URL it is skipped,
 * and the summary line counts its tests as `skipped: TEST_DATABASE_URL not set`.
 */
export const needsPostgres = skipBecause(POSTGRES_MISSING);

/** SQLite, and PostgreSQL (skipped, with why, when TEST_DATABASE_URL is not set). */
const DATABASE_KINDS: DatabaseKind[] = [SQLITE, POSTGRES];

/**
 * One `describe` per database kind, `$name` in the title standing for the kind. PostgreSQL's is
 * skipped with its reason rather than left out, so a run without it says what did not run.
 */
export function describeEachDatabase(title: string, body: (kind: DatabaseKind) => void): void {
  for (const kind of DATABASE_KINDS)
    describe(title.replace('$name', kind.name), kind === POSTGRES ? needsPostgres : {}, () => body(kind));
}

/** Opens a scratch database and applies the migrations. */
export async function openMigrated(url: string): Promise<Kysely<Database>> {
  const { db } = await openDatabase(parseDatabaseUrl(url));
  await migrateToLatest(db);
  return db;
}

/**
 * A fresh, migrated database of one kind for the tests of a `describe`: made before them,
 * dropped after. Call the returned function inside tests to get the connection.
 */
export function useScratchDatabase(kind: DatabaseKind): () => Kysely<Database> {
  let scratch: ScratchDatabase | undefined;
  let db: Kysely<Database> | undefined;
  beforeAll(async () => {
    scratch = await kind.create();
    db = await openMigrated(scratch.url);
  });
  afterAll(async () => {
    // Request logs are written in the turn after their answer: let the last ones land first.
    await new Promise((resolve) => setImmediate(resolve));
    if (db) await settleGroupCommit(db);
    await db?.destroy();
    await scratch?.drop();
  });
  return () => {
    if (!db) throw new Error('The scratch database is not open yet.');
    return db;
  };
}
