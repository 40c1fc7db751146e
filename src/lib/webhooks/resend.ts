import type { Kysely } from 'kysely';
import type { Database, KeyMode } from '../db/schema.ts';

export interface ResendRequest {
  deliveryId: string;
  /** The account the person asking is acting for: another account's delivery is not theirs to resend. */
  accountId: string;
  mode: KeyMode;
  /** Milliseconds; now by default. */
  now?: number;
}

/**
 * A person's resend (the dashboard's button): the delivery is due again at once, whatever its
 * state, and its next attempt is recorded as theirs (`manual = 1`). The lease is dropped, so a
 * worker takes it at its next look even if another attempt is under way; that attempt's result
 * then no longer decides the delivery's state. The resend adds one attempt, not a new schedule:
 * a failed delivery whose resend fails is failed again (see `nextAttemptAfter`).
 *
 * Returns false, changing nothing, when no delivery with that id belongs to that account and mode.
 */
export async function resendDelivery(db: Kysely<Database>, request: ResendRequest): Promise<boolean> {
  const now = request.now ?? Date.now();
  const result = await db
    .updateTable('webhook_deliveries')
    .set({
      resend_requested_at: now,
      state: 'pending',
      next_attempt_at: now,
      locked_until: null,
      updated_ms: now,
    })
    .where('id', '=', request.deliveryId)
    .where('account_id', '=', request.accountId)
    .where('mode', '=', request.mode)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
