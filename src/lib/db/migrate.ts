import type { Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import * as accountsSessionsKeys from './migrations/0001-accounts-sessions-keys.ts';
import * as sandbox from './migrations/0002-sandbox.ts';
import * as guestSandboxes from './migrations/0003-guest-sandboxes.ts';
import * as teams from './migrations/0004-teams.ts';
import * as emailVerification from './migrations/0005-email-verification.ts';
import * as siteSecrets from './migrations/0006-site-secrets.ts';
import * as passwordResets from './migrations/0007-password-resets.ts';
import * as webhooks from './migrations/0008-webhooks.ts';

/**
 * Every migration, in order. Listed here rather than read from the folder so that the
 * bundled server and Node's own loader see the same set.
 */
const MIGRATIONS: Record<string, Migration> = {
  '0001-accounts-sessions-keys': accountsSessionsKeys,
  '0002-sandbox': sandbox,
  '0003-guest-sandboxes': guestSandboxes,
  '0004-teams': teams,
  '0005-email-verification': emailVerification,
  '0006-site-secrets': siteSecrets,
  '0007-password-resets': passwordResets,
  '0008-webhooks': webhooks,
};

/** Migration names in the order they apply. */
export const MIGRATION_NAMES: readonly string[] = Object.keys(MIGRATIONS);

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/**
 * Applies every pending migration, recording each in `kysely_migration`. Safe when several
 * processes start at once: PostgreSQL takes an advisory lock, SQLite its write lock.
 */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error) {
    const failed = results.find((result) => result.status === 'Error');
    throw new Error(
      `Database migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message ?? String(error)}`,
    );
  }
  return results.filter((result) => result.status === 'Success').map((result) => result.migrationName);
}
