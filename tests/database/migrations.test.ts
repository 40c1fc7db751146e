import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDatabase } from '../../src/lib/db/client.ts';
import { parseDatabaseUrl } from '../../src/lib/config/database-url.ts';
import { MIGRATION_NAMES, migrateToLatest } from '../../src/lib/db/migrate.ts';
import { describeEachDatabase, type ScratchDatabase } from '../support/databases.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A child process that will run the migrations when told to. */
interface MigrationChild {
  /** Settles once the child has loaded everything and waits only for `go`. */
  ready: Promise<void>;
  go: () => void;
  done: Promise<{ code: number | null; output: string }>;
}

/**
 * Runs the migrations in a separate Node process, as a second server starting would. The child
 * loads its modules, says `ready`, then waits on stdin: a barrier, so that children released
 * together really migrate at once however long each took to start.
 */
function migrateInChild(url: string): MigrationChild {
  const child = spawn(
    process.execPath,
    [
      '--experimental-strip-types',
      '--disable-warning=ExperimentalWarning',
      '--input-type=module',
      '-e',
      `import { getDatabase, closeDatabase } from './src/lib/db/index.ts';
       import { parseDatabaseUrl } from './src/lib/config/database-url.ts';
       import { once } from 'node:events';
       process.stdout.write('ready\\n');
       await once(process.stdin, 'data');
       await getDatabase(parseDatabaseUrl(process.env.URL));
       await closeDatabase();`,
    ],
    { cwd: root, env: { ...process.env, URL: url } },
  );
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (output.includes('ready\n')) resolve();
    });
    child.on('exit', () => reject(new Error(`The child exited before it was ready: ${output}`)));
  });
  child.stderr.on('data', (chunk) => (output += chunk));
  const done = new Promise<{ code: number | null; output: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, output })),
  );
  return { ready, go: () => child.stdin.end('go\n'), done };
}

describeEachDatabase('migrations on $name', (kind) => {
  let scratch: ScratchDatabase | undefined;
  afterEach(async () => {
    await scratch?.drop();
    scratch = undefined;
  });

  it('apply in order, are recorded, and do nothing the second time', async () => {
    scratch = await kind.create();
    const { db } = await openDatabase(parseDatabaseUrl(scratch.url));
    expect(MIGRATION_NAMES).toEqual([
      '0001-accounts-sessions-keys',
      '0002-sandbox',
      '0003-guest-sandboxes',
      '0004-teams',
      '0005-email-verification',
      '0006-site-secrets',
      '0007-password-resets',
      '0008-webhooks',
    ]);
    expect(await migrateToLatest(db)).toEqual(MIGRATION_NAMES);
    expect(await migrateToLatest(db)).toEqual([]);
    const recorded = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
    expect(recorded.rows.map((row) => row.name)).toEqual(MIGRATION_NAMES);
    await db.destroy();
  });

  it('are safe when several processes start at once', async () => {
    scratch = await kind.create();
    const children = [1, 2, 3, 4].map(() => migrateInChild(scratch!.url));
    await Promise.all(children.map((child) => child.ready));
    for (const child of children) child.go();
    const results = await Promise.all(children.map((child) => child.done));
    for (const result of results) expect(result, result.output).toMatchObject({ code: 0 });
    const { db } = await openDatabase(parseDatabaseUrl(scratch.url));
    const recorded = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    expect(recorded.rows).toHaveLength(MIGRATION_NAMES.length);
    await db.destroy();
  });
});

describe('a database that cannot be used', () => {
  it('stops with a message naming it', async () => {
    await expect(
      openDatabase(parseDatabaseUrl('postgres://nobody:secret@127.0.0.1:1/keyway')),
    ).rejects.toThrow(/Cannot reach PostgreSQL at postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/keyway/);
    // A folder that cannot exist: its parent is a file.
    const file = join(mkdtempSync(join(tmpdir(), 'keyway-db-')), 'a-file');
    writeFileSync(file, '');
    await expect(openDatabase(parseDatabaseUrl(`file:${file}/keyway.sqlite`))).rejects.toThrow(
      `Cannot open the SQLite database at ${file}/keyway.sqlite`,
    );
  });
});
