import { openDatabase, type KeywayDatabase } from './client.ts';
import type { DatabaseLocation } from '../config/database-url.ts';
import { migrateToLatest } from './migrate.ts';
import { settleGroupCommit } from './group-commit.ts';
import { loadConfig } from '../config/config.ts';

export type { KeywayDatabase } from './client.ts';

/**
 * One database per process. The production server loads this module through Node while
 * Astro's bundle has its own copy, so the open database is kept on globalThis, where both
 * copies find it.
 */
const SLOT = Symbol.for('keyway.database');
type Holder = { [SLOT]?: Promise<KeywayDatabase> };

/** Opens and migrates the database on first use; later calls share it. */
export function getDatabase(location: DatabaseLocation): Promise<KeywayDatabase> {
  const holder = globalThis as Holder;
  holder[SLOT] ??= (async () => {
    const database = await openDatabase(location);
    await migrateToLatest(database.db);
    return database;
  })();
  holder[SLOT].catch(() => delete holder[SLOT]);
  return holder[SLOT];
}

/** Closes the process's database, if open. */
export async function closeDatabase(): Promise<void> {
  const holder = globalThis as Holder;
  const database = await holder[SLOT]?.catch(() => undefined);
  delete holder[SLOT];
  if (!database) return;
  // Request logs are queued for the turn after their response; let them reach the commit.
  await new Promise((resolve) => setImmediate(resolve));
  await settleGroupCommit(database.db);
  await database.db.destroy();
}

/** The process's database as configured by the environment (pages and endpoints use this). */
export function database(): Promise<KeywayDatabase> {
  return getDatabase(loadConfig().database);
}
