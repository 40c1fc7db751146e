import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../lib/db/schema.ts';
import type { OperationContext } from './context.ts';
import { newEventId } from './ids.ts';
import { endpointsOwed, enqueueDeliveries } from '../lib/webhooks/enqueue.ts';
import { preparedStatement } from '../lib/db/prepared-statement.ts';

import type { EventType } from '../spec/objects.ts';

export type { EventType };

/** The event object, as `/v1/events` returns it. */
export interface SandboxEvent {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  data: { object: Record<string, unknown>; previous_attributes?: Record<string, unknown> };
  livemode: false;
  /** How many endpoints the event was owed to when it was recorded. */
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: EventType;
}

/** Every change records an event, so its insert is compiled once. */
const insertEvent = preparedStatement(
  ['id', 'accountId', 'mode', 'type', 'objectId', 'requestId', 'created', 'createdMs', 'event'],
  (db: Kysely<Database>, values) =>
    db.insertInto('events').values({
      id: values.id,
      account_id: values.accountId,
      mode: values.mode,
      type: values.type,
      object_id: values.objectId,
      request_id: values.requestId,
      created: values.created,
      created_ms: values.createdMs,
      event: values.event,
    }),
);

/**
 * Records the event a change caused, in the same transaction as the change, with a delivery for
 * each of the account's webhook endpoints that asks for it: committed together or not at all.
 */
export async function recordEvent(
  trx: Transaction<Database> | Kysely<Database>,
  ctx: OperationContext,
  type: EventType,
  object: Record<string, unknown> & { id: string },
  previousAttributes?: Record<string, unknown>,
): Promise<SandboxEvent> {
  const created = Math.floor(ctx.now / 1000);
  const endpointIds = await endpointsOwed(trx, ctx.accountId, ctx.mode, type);
  const event: SandboxEvent = {
    id: newEventId(),
    object: 'event',
    api_version: ctx.apiVersion,
    created,
    data: previousAttributes ? { object, previous_attributes: previousAttributes } : { object },
    livemode: false,
    pending_webhooks: endpointIds.length,
    request: { id: ctx.requestId, idempotency_key: ctx.idempotencyKey },
    type,
  };
  await insertEvent(trx, {
    id: event.id,
    accountId: ctx.accountId,
    mode: ctx.mode,
    type,
    objectId: object.id,
    requestId: ctx.requestId,
    created,
    createdMs: ctx.now,
    event: JSON.stringify(event),
  });
  await enqueueDeliveries(
    trx,
    { id: event.id, accountId: ctx.accountId, mode: ctx.mode, now: ctx.now },
    endpointIds,
  );
  ctx.recordedEvents.push({
    accountId: ctx.accountId,
    mode: ctx.mode,
    id: event.id,
    type,
    createdMs: ctx.now,
    deliveries: endpointIds.length,
  });
  return event;
}
