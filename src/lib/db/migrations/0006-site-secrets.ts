import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';

/**
 * Secrets the site makes for itself, one row each. `sample_keys` keys the MAC that sample
 * keys carry: made here, once per database, so it survives restarts and every process on
 * the same database shares it, with nothing to configure. The migration lock makes the
 * insert happen exactly once even when processes start together.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('site_secrets')
    .addColumn('name', 'text', (col) => col.primaryKey())
    .addColumn('value', 'text', (col) => col.notNull())
    .execute();
  await db
    .insertInto('site_secrets')
    .values({ name: 'sample_keys', value: randomBytes(32).toString('hex') })
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('site_secrets').execute();
}
