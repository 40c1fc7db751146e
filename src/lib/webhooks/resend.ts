import type { Kysely } from 'kysely';
import type { Database, KeyMode } from '../db/schema.ts';

/** Which delivery to send again, whose it must be, and when the person asked. */
export interface ResendRequest {
  deliveryId: string;
  accountId: string;
  mode: KeyMode;
  /** Milliseconds since the epoch. */
  now: number;
}

/**
 * Puts a delivery back in the queue at once, as a person asked: the worker's next claim picks
 * it up (any lease is dropped) and records the attempt as manual. The delivery must belong to
 * the account and mode given; for anyone else's the answer is false and nothing changes, so a
 * guessed id tells the asker nothing.
 */
export async function resendDelivery(db: Kysely<Database>, request: ResendRequest): Promise<boolean> {
  const { deliveryId, accountId, mode, now } = request;
  const result = await db
    .updateTable('webhook_deliveries')
    .set({
      resend_requested_at: now,
      state: 'pending',
      next_attempt_at: now,
      locked_until: null,
      updated_ms: now,
    })
    .where('id', '=', deliveryId)
    .where('account_id', '=', accountId)
    .where('mode', '=', mode)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
