import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { escapeHtml } from '../html.ts';
import { preparedQuery } from '../db/prepared.ts';
import { readerScope } from '../reader/scope.ts';
import type { Reader } from '../reader/reader.ts';

/** Shown in samples that name an object when the reader has none yet. */
export const OBJECT_ID_PLACEHOLDERS = {
  customerId: 'cus_CREATE_A_CUSTOMER_FIRST',
  eventId: 'evt_SEND_A_REQUEST_FIRST',
} as const;

/**
 * An account's newest live customer and newest event in test mode, in one query compiled
 * once: pages that name objects make it on every view.
 */
const latestIds = preparedQuery<Database, { customer_id: string | null; event_id: string | null }>(
  (db, accountId) =>
    db.selectNoFrom((eb) => [
      eb
        .selectFrom('customers')
        .select('id')
        .where('account_id', '=', accountId)
        .where('mode', '=', 'test')
        .where('deleted_at', 'is', null)
        .orderBy('created_ms', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .as('customer_id'),
      eb
        .selectFrom('events')
        .select('id')
        .where('account_id', '=', accountId)
        .where('mode', '=', 'test')
        .orderBy('created_ms', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .as('event_id'),
    ]),
);

/**
 * An account's latest customer and event ids, as samples name them; placeholders for no
 * account (a visitor whose guest sandbox has not started) or where it has none yet.
 */
export async function accountObjectIds(
  db: Kysely<Database>,
  accountId: string | null,
): Promise<{ customerId: string; eventId: string }> {
  if (!accountId) return { ...OBJECT_ID_PLACEHOLDERS };
  const [latest] = await latestIds(db, accountId);
  return {
    customerId: escapeHtml(latest?.customer_id ?? OBJECT_ID_PLACEHOLDERS.customerId),
    eventId: escapeHtml(latest?.event_id ?? OBJECT_ID_PLACEHOLDERS.eventId),
  };
}

/**
 * The ids samples name: the reader's most recent customer and event (in their account or
 * guest sandbox), so a copied retrieve or update runs as it is; placeholders otherwise.
 * Only pages whose samples name objects ask for these.
 */
export async function objectIdValues(
  db: Kysely<Database>,
  reader: Reader,
): Promise<{ customerId: string; eventId: string }> {
  return accountObjectIds(db, await readerScope(db, reader).accountId());
}
