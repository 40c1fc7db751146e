import type { Kysely } from 'kysely';

/**
 * The sandbox's state: customers, events, request logs, idempotency records and rate-limit
 * windows. Every row belongs to an account and a mode, so one key never sees another
 * account's objects. Objects are stored as their JSON with the columns lists filter on.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('customers')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('account_id', 'text', (col) => col.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('mode', 'text', (col) => col.notNull())
    .addColumn('email', 'text')
    .addColumn('created', 'bigint', (col) => col.notNull())
    .addColumn('created_ms', 'bigint', (col) => col.notNull())
    .addColumn('deleted_at', 'bigint')
    .addColumn('object', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('customers_list')
    .on('customers')
    .columns(['account_id', 'mode', 'created_ms', 'id'])
    .execute();

  await db.schema
    .createTable('events')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('account_id', 'text', (col) => col.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('mode', 'text', (col) => col.notNull())
    .addColumn('type', 'text', (col) => col.notNull())
    .addColumn('object_id', 'text', (col) => col.notNull())
    .addColumn('request_id', 'text')
    .addColumn('created', 'bigint', (col) => col.notNull())
    .addColumn('created_ms', 'bigint', (col) => col.notNull())
    .addColumn('event', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('events_list')
    .on('events')
    .columns(['account_id', 'mode', 'created_ms', 'id'])
    .execute();
  await db.schema.createIndex('events_object').on('events').columns(['object_id']).execute();

  await db.schema
    .createTable('request_logs')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('account_id', 'text', (col) => col.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('mode', 'text', (col) => col.notNull())
    .addColumn('key_id', 'text')
    .addColumn('masked_key', 'text', (col) => col.notNull())
    .addColumn('source', 'text', (col) => col.notNull())
    .addColumn('method', 'text', (col) => col.notNull())
    .addColumn('path', 'text', (col) => col.notNull())
    .addColumn('status', 'integer', (col) => col.notNull())
    .addColumn('duration_ms', 'integer', (col) => col.notNull())
    .addColumn('idempotency_key', 'text')
    .addColumn('query', 'text')
    .addColumn('body', 'text')
    .addColumn('response', 'text', (col) => col.notNull())
    .addColumn('user_agent', 'text')
    .addColumn('created_ms', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('request_logs_list')
    .on('request_logs')
    .columns(['account_id', 'mode', 'created_ms', 'id'])
    .execute();

  await db.schema
    .createTable('idempotency_records')
    .addColumn('account_id', 'text', (col) => col.notNull())
    .addColumn('mode', 'text', (col) => col.notNull())
    .addColumn('key', 'text', (col) => col.notNull())
    .addColumn('fingerprint', 'text', (col) => col.notNull())
    .addColumn('status', 'integer')
    .addColumn('response', 'text')
    .addColumn('created_ms', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('idempotency_records_pk', ['account_id', 'mode', 'key'])
    .execute();

  await db.schema
    .createTable('rate_windows')
    .addColumn('key_id', 'text', (col) => col.notNull())
    .addColumn('second', 'bigint', (col) => col.notNull())
    .addColumn('count', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('rate_windows_pk', ['key_id', 'second'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['rate_windows', 'idempotency_records', 'request_logs', 'events', 'customers']) {
    await db.schema.dropTable(table).execute();
  }
}
