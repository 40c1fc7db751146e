import { sql, type Kysely } from 'kysely';

/**
 * Guest sandboxes: an anonymous reader's sample keys become the keys of an account with no
 * users, made the first time the reader runs something. `kind` tells them from real
 * accounts; `guest_address` counts creations per client address; `last_active_at` says
 * when the guest was last used, for the 24-hour expiry.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('accounts')
    .addColumn('kind', 'text', (col) => col.notNull().defaultTo(sql`'standard'`))
    .execute();
  await db.schema.alterTable('accounts').addColumn('guest_address', 'text').execute();
  await db.schema.alterTable('accounts').addColumn('last_active_at', 'bigint').execute();
  await db.schema.createIndex('accounts_guests').on('accounts').columns(['kind', 'last_active_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('accounts_guests').execute();
  for (const column of ['last_active_at', 'guest_address', 'kind']) {
    await db.schema.alterTable('accounts').dropColumn(column).execute();
  }
}
