import type { Kysely } from 'kysely';
import { purgeIdleGuests } from '../guests/guest-sandbox.ts';
import type { Database } from '../db/schema.ts';

/** How long sandbox history is kept. */
export const RETENTION = {
  logsAndEventsMs: 30 * 24 * 60 * 60 * 1000,
  /** Idempotency records; after it, a key may be used again for anything (the sandbox checks it too). */
  idempotencyMs: 24 * 60 * 60 * 1000,
  rateWindowsMs: 60 * 1000,
} as const;

/** What one purge removed, for the server's log. */
export interface PurgeCounts {
  guests: number;
  logs: number;
  events: number;
  idempotency: number;
  rateWindows: number;
}

/**
 * Deletes guest sandboxes unused for a day, request logs and events past 30 days,
 * idempotency records past 24 hours and old rate windows.
 */
export async function purgeExpired(db: Kysely<Database>, now = Date.now()): Promise<PurgeCounts> {
  const guests = await purgeIdleGuests(db, now);
  const logs = await db
    .deleteFrom('request_logs')
    .where('created_ms', '<', now - RETENTION.logsAndEventsMs)
    .executeTakeFirst();
  const events = await db
    .deleteFrom('events')
    .where('created_ms', '<', now - RETENTION.logsAndEventsMs)
    .executeTakeFirst();
  const idempotency = await db
    .deleteFrom('idempotency_records')
    .where('created_ms', '<', now - RETENTION.idempotencyMs)
    .executeTakeFirst();
  const rateWindows = await db
    .deleteFrom('rate_windows')
    .where('second', '<', Math.floor((now - RETENTION.rateWindowsMs) / 1000))
    .executeTakeFirst();
  return {
    guests,
    logs: Number(logs.numDeletedRows),
    events: Number(events.numDeletedRows),
    idempotency: Number(idempotency.numDeletedRows),
    rateWindows: Number(rateWindows.numDeletedRows),
  };
}

/**
 * Runs the purge now and then every minute, without keeping the process alive for it.
 * With several processes each purges; deletes are idempotent, so that is harmless.
 */
export function schedulePurge(db: Kysely<Database>, everyMs = 60 * 1000): () => void {
  const run = () =>
    purgeExpired(db).catch((error: unknown) =>
      console.error('Could not purge expired sandbox history:', error),
    );
  void run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
