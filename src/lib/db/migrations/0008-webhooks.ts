import type { Kysely } from 'kysely';

/**
 * Webhooks: the endpoints readers register, and the delivery queue.
 *
 * A delivery is one event owed to one endpoint; it is written in the same transaction as the
 * event, so an event is never recorded without the deliveries it owes, and a crash loses
 * neither. A process claims due deliveries by setting `locked_until` (a lease: a process that
 * dies holding one lets it go when the lease runs out). Each try is an attempt, kept with the
 * first kilobyte of the answer. Everything goes with its endpoint, its event and its account.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('webhook_endpoints')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('account_id', 'text', (col) => col.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('mode', 'text', (col) => col.notNull())
    .addColumn('url', 'text', (col) => col.notNull())
    .addColumn('description', 'text')
    // JSON: ["*"] or a list of event types.
    .addColumn('enabled_events', 'text', (col) => col.notNull())
    // JSON object, as the API returns it.
    .addColumn('metadata', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('api_version', 'text')
    // Kept in full: every delivery is signed with it.
    .addColumn('secret', 'text', (col) => col.notNull())
    .addColumn('created', 'bigint', (col) => col.notNull())
    .addColumn('created_ms', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('webhook_endpoints_account')
    .on('webhook_endpoints')
    .columns(['account_id', 'mode', 'created_ms'])
    .execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('endpoint_id', 'text', (col) =>
      col.notNull().references('webhook_endpoints.id').onDelete('cascade'),
    )
    .addColumn('event_id', 'text', (col) => col.notNull().references('events.id').onDelete('cascade'))
    .addColumn('account_id', 'text', (col) => col.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('mode', 'text', (col) => col.notNull())
    // pending (owed a try), succeeded (a 2xx came back), failed (no tries left).
    .addColumn('state', 'text', (col) => col.notNull())
    .addColumn('attempt_count', 'integer', (col) => col.notNull().defaultTo(0))
    // When the next try is due (ms); null once the delivery is finished.
    .addColumn('next_attempt_at', 'bigint')
    // A process's claim on it (ms): others skip it until then.
    .addColumn('locked_until', 'bigint')
    // Set when a person asks for a resend: the next attempt is theirs (attempts.manual = 1).
    .addColumn('resend_requested_at', 'bigint')
    .addColumn('created_ms', 'bigint', (col) => col.notNull())
    .addColumn('updated_ms', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_due')
    .on('webhook_deliveries')
    .columns(['state', 'next_attempt_at'])
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_endpoint')
    .on('webhook_deliveries')
    .columns(['endpoint_id', 'created_ms'])
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_event')
    .on('webhook_deliveries')
    .column('event_id')
    .execute();

  await db.schema
    .createTable('webhook_attempts')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('delivery_id', 'text', (col) =>
      col.notNull().references('webhook_deliveries.id').onDelete('cascade'),
    )
    .addColumn('attempt_number', 'integer', (col) => col.notNull())
    // 1 when a person asked for it (resend), 0 when the schedule did.
    .addColumn('manual', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('url', 'text', (col) => col.notNull())
    // Null when no answer came (refused address, connection error, timeout).
    .addColumn('status', 'integer')
    .addColumn('error', 'text')
    .addColumn('duration_ms', 'integer', (col) => col.notNull())
    // The first kilobyte of the answer's body.
    .addColumn('response_body', 'text')
    .addColumn('created_ms', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('webhook_attempts_delivery')
    .on('webhook_attempts')
    .columns(['delivery_id', 'created_ms'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('webhook_attempts').execute();
  await db.schema.dropTable('webhook_deliveries').execute();
  await db.schema.dropTable('webhook_endpoints').execute();
}
