import type { Kysely, Transaction } from 'kysely';
import type { Database, KeyMode } from '../db/schema.ts';
import { newDeliveryId } from './ids.ts';
import { preparedStatement } from '../db/prepared-statement.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Whether an endpoint's `enabled_events` (JSON) asks for an event type; a malformed list asks for none. */
export function endpointWants(enabledEvents: string, type: string): boolean {
  try {
    const list = JSON.parse(enabledEvents) as unknown;
    return Array.isArray(list) && (list.includes('*') || list.includes(type));
  } catch {
    return false;
  }
}

/** Looked up for every event recorded, so compiled once. */
const enabledEndpoints = preparedStatement(
  ['accountId', 'mode'],
  (db: Kysely<Database>, { accountId, mode }) =>
    db
      .selectFrom('webhook_endpoints')
      .select(['id', 'enabled_events'])
      .where('account_id', '=', accountId)
      .where('mode', '=', mode)
      .where('status', '=', 'enabled'),
);

/**
 * The endpoints an event is owed to: the account's enabled endpoints in the event's mode that
 * ask for its type (or `*`). One query on the account's index; the type is matched in code,
 * because the list is JSON and an account has at most a handful of endpoints.
 */
export async function endpointsOwed(
  db: Db,
  accountId: string,
  mode: KeyMode,
  type: string,
): Promise<string[]> {
  const rows = await enabledEndpoints(db, { accountId, mode });
  return rows.filter((row) => endpointWants(row.enabled_events, type)).map((row) => row.id);
}

/**
 * Writes one pending delivery per endpoint, due now. Call it in the event's own transaction, so
 * an event is never committed without the deliveries it owes.
 */
export async function enqueueDeliveries(
  db: Db,
  event: { id: string; accountId: string; mode: KeyMode; now: number },
  endpointIds: readonly string[],
): Promise<void> {
  if (endpointIds.length === 0) return;
  await db
    .insertInto('webhook_deliveries')
    .values(
      endpointIds.map((endpointId) => ({
        id: newDeliveryId(),
        endpoint_id: endpointId,
        event_id: event.id,
        account_id: event.accountId,
        mode: event.mode,
        state: 'pending' as const,
        next_attempt_at: event.now,
        locked_until: null,
        resend_requested_at: null,
        created_ms: event.now,
        updated_ms: event.now,
      })),
    )
    .execute();
}
