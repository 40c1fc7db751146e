import { sql, type Kysely, type Updateable } from 'kysely';
import type { Database, KeyMode, WebhookDeliveriesTable } from '../db/schema.ts';
import { requestBus, type RequestBus } from '../live/request-bus.ts';
import type { Lookup } from './address-policy.ts';
import { newAttemptId } from './ids.ts';
import { DEFAULT_RETRY_DELAYS_MS, nextAttemptAfter } from './schedule.ts';
import { DEFAULT_ATTEMPT_TIMEOUT_MS, sendWebhook, type AttemptOutcome } from './send.ts';

/**
 * How long a process's claim on a delivery lasts. Longer than any attempt (10 s), so a live
 * process never loses a claim it is still using; short enough that deliveries held by a process
 * that died are taken up by another (or by the same one, restarted) within half a minute.
 */
export const DEFAULT_LEASE_MS = 30_000;
/** How often the queue is looked at for retries that came due; new events wake it at once. */
export const DEFAULT_POLL_MS = 1000;
/** Attempts one process has under way at once. */
export const DEFAULT_CONCURRENCY = 8;
/** How long a stop waits for attempts under way before cutting them. */
export const DEFAULT_STOP_GRACE_MS = 3000;

export interface DeliveryWorkerOptions {
  db: Kysely<Database>;
  /** The claim query differs: PostgreSQL skips rows another process is claiming. */
  databaseKind: 'sqlite' | 'postgres';
  /** `config.webhookPrivateTargets`. */
  allowPrivate: boolean;
  userAgent: string;
  retryDelaysMs?: readonly number[];
  timeoutMs?: number;
  leaseMs?: number;
  pollMs?: number;
  concurrency?: number;
  stopGraceMs?: number;
  /** The clock, in milliseconds; tests move it. */
  now?: () => number;
  lookup?: Lookup;
  bus?: RequestBus;
}

/** A delivery this process has claimed. */
interface Claimed {
  id: string;
  endpoint_id: string;
  event_id: string;
  account_id: string;
  mode: KeyMode;
  attempt_count: number;
  resend_requested_at: number | null;
  /** The `locked_until` this claim wrote: the proof, when the result is saved, that the claim still holds. */
  lease: number;
}

/**
 * Sends the deliveries in `webhook_deliveries` as they come due, in every process that runs one:
 * a process claims a few due deliveries at a time by writing a lease on them, so two processes
 * never send the same delivery while a lease holds. A process that dies mid-attempt leaves its
 * lease to run out; the delivery is then sent again, which is why delivery is at least once.
 */
export class DeliveryWorker {
  readonly #options: Required<Omit<DeliveryWorkerOptions, 'lookup'>> & { lookup?: Lookup };
  readonly #inFlight = new Set<Promise<void>>();
  readonly #abort = new AbortController();
  #timer: NodeJS.Timeout | null = null;
  #unsubscribe: (() => void) | null = null;
  #claiming = false;
  #lookAgain = false;
  #stopped = false;
  #lastError = '';

  constructor(options: DeliveryWorkerOptions) {
    this.#options = {
      retryDelaysMs: DEFAULT_RETRY_DELAYS_MS,
      timeoutMs: DEFAULT_ATTEMPT_TIMEOUT_MS,
      leaseMs: DEFAULT_LEASE_MS,
      pollMs: DEFAULT_POLL_MS,
      concurrency: DEFAULT_CONCURRENCY,
      stopGraceMs: DEFAULT_STOP_GRACE_MS,
      now: Date.now,
      bus: requestBus(),
      ...options,
    };
  }

  /** Starts looking at the queue: now, on every recorded event, and every `pollMs`. */
  start(): void {
    if (this.#stopped || this.#timer) return;
    // An event that owes no delivery has nothing for the queue; looking anyway was a query per
    // sandbox create under load.
    this.#unsubscribe = this.#options.bus.subscribeEvents((notice) => {
      if (notice.deliveries !== 0) this.wake();
    });
    this.#timer = setInterval(() => this.wake(), this.#options.pollMs);
    this.#timer.unref();
    this.wake();
  }

  /** Looks at the queue now (a new event, a resend). */
  wake(): void {
    if (this.#stopped) return;
    if (this.#claiming) {
      this.#lookAgain = true;
      return;
    }
    void this.#claimAndSend();
  }

  /**
   * Stops claiming, gives attempts under way `stopGraceMs` to finish, then cuts the rest and
   * lets their deliveries go at once (another process, or this one restarted, sends them again).
   * Resolves when nothing is left that uses the database.
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#unsubscribe?.();
    const settled = Promise.allSettled([...this.#inFlight]);
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([
      settled,
      new Promise((resolve) => (grace = setTimeout(resolve, this.#options.stopGraceMs))),
    ]);
    clearTimeout(grace);
    this.#abort.abort();
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  /**
   * Sends what is due now, batch after batch, until nothing due is left; returns how many
   * attempts were made. For driving the queue by hand (tests, with their own clock) instead of
   * `start()`'s timer.
   */
  async runDue(): Promise<number> {
    let attempts = 0;
    for (;;) {
      const claimed = await this.#claim(this.#options.concurrency);
      if (claimed.length === 0) return attempts;
      await Promise.all(claimed.map((delivery) => this.#deliver(delivery)));
      attempts += claimed.length;
    }
  }

  async #claimAndSend(): Promise<void> {
    this.#claiming = true;
    try {
      do {
        this.#lookAgain = false;
        const room = this.#options.concurrency - this.#inFlight.size;
        if (room <= 0 || this.#stopped) break;
        const claimed = await this.#claim(room);
        for (const delivery of claimed) this.#track(this.#deliver(delivery));
        // A full batch may mean more are due: look again without waiting for the poll.
        if (claimed.length === room) this.#lookAgain = true;
      } while (this.#lookAgain && !this.#stopped);
      this.#lastError = '';
    } catch (error) {
      // The database is unreachable or closing: the next poll tries again. Said once, not every second.
      const message = (error as Error).message;
      if (message !== this.#lastError && !this.#stopped)
        console.error(`Webhook delivery could not read its queue: ${message}`);
      this.#lastError = message;
    } finally {
      this.#claiming = false;
    }
  }

  #track(attempt: Promise<void>): void {
    this.#inFlight.add(attempt);
    void attempt.finally(() => {
      this.#inFlight.delete(attempt);
      // A slot came free: another due delivery may be waiting for it.
      this.wake();
    });
  }

  /** Claims up to `limit` due deliveries by writing this process's lease on them. */
  async #claim(limit: number): Promise<Claimed[]> {
    const now = this.#options.now();
    const lease = now + this.#options.leaseMs;
    const due = sql`state = 'pending' AND next_attempt_at <= ${now} AND (locked_until IS NULL OR locked_until < ${now})`;
    // PostgreSQL: rows another process is claiming right now are skipped, not waited for, and
    // a row claimed and committed meanwhile fails the re-checked condition. SQLite has one
    // writer, so its UPDATE … RETURNING is atomic as it stands.
    const pick =
      this.#options.databaseKind === 'postgres'
        ? sql`SELECT id FROM webhook_deliveries WHERE ${due} ORDER BY next_attempt_at LIMIT ${limit} FOR UPDATE SKIP LOCKED`
        : sql`SELECT id FROM webhook_deliveries WHERE ${due} ORDER BY next_attempt_at LIMIT ${limit}`;
    const result = await sql<Omit<Claimed, 'lease'>>`
      UPDATE webhook_deliveries SET locked_until = ${lease}
      WHERE id IN (${pick})
      RETURNING id, endpoint_id, event_id, account_id, mode, attempt_count, resend_requested_at`.execute(
      this.#options.db,
    );
    return result.rows.map((row) => ({
      ...row,
      attempt_count: Number(row.attempt_count),
      resend_requested_at: row.resend_requested_at === null ? null : Number(row.resend_requested_at),
      lease,
    }));
  }

  /** One attempt at a claimed delivery, and its record. Never throws. */
  async #deliver(delivery: Claimed): Promise<void> {
    try {
      await this.#attempt(delivery);
    } catch (error) {
      if (!this.#stopped)
        console.error(`Webhook delivery ${delivery.id} failed: ${(error as Error).message}`);
    }
  }

  async #attempt(delivery: Claimed): Promise<void> {
    const { db } = this.#options;
    const target = await db
      .selectFrom('webhook_deliveries')
      .innerJoin('webhook_endpoints', 'webhook_endpoints.id', 'webhook_deliveries.endpoint_id')
      .innerJoin('events', 'events.id', 'webhook_deliveries.event_id')
      .select([
        'webhook_endpoints.url',
        'webhook_endpoints.secret',
        'webhook_endpoints.status',
        'events.event',
        'events.type',
      ])
      .where('webhook_deliveries.id', '=', delivery.id)
      .executeTakeFirst();
    // Deleting the endpoint or the event deletes the delivery too: nothing is left to do.
    if (!target) return;
    const now = this.#options.now();

    // Stripe: an endpoint disabled when a retry comes due gets no more retries of that event.
    if (target.status !== 'enabled') {
      await this.#updateIfClaimed(delivery, {
        state: 'failed',
        next_attempt_at: null,
        locked_until: null,
        resend_requested_at: null,
        updated_ms: now,
      });
      return;
    }

    const outcome = await sendWebhook({
      url: target.url,
      body: target.event,
      secret: target.secret,
      userAgent: this.#options.userAgent,
      allowPrivate: this.#options.allowPrivate,
      timeoutMs: this.#options.timeoutMs,
      lookup: this.#options.lookup,
      signal: this.#abort.signal,
    });
    if (this.#abort.signal.aborted && !outcome.succeeded) {
      // Cut by a stop, not answered: let the delivery go so it is sent again at once, without
      // spending one of its retries on this process's stopping.
      await this.#updateIfClaimed(delivery, { locked_until: null });
      return;
    }

    const finishedAt = this.#options.now();
    const attemptNumber = delivery.attempt_count + 1;
    const manual = delivery.resend_requested_at !== null;
    const next = outcome.succeeded
      ? null
      : nextAttemptAfter(attemptNumber, finishedAt, this.#options.retryDelaysMs);
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('webhook_attempts')
        .values({
          id: newAttemptId(),
          delivery_id: delivery.id,
          attempt_number: attemptNumber,
          manual: manual ? 1 : 0,
          url: target.url,
          status: outcome.status,
          error: outcome.error,
          duration_ms: outcome.durationMs,
          response_body: outcome.responseBody,
          created_ms: now,
        })
        .execute();
      // If a resend came meanwhile, the claim no longer holds: this attempt is kept, and the
      // resend decides what happens next.
      await trx
        .updateTable('webhook_deliveries')
        .set({
          attempt_count: attemptNumber,
          state: outcome.succeeded ? 'succeeded' : next === null ? 'failed' : 'pending',
          next_attempt_at: next,
          locked_until: null,
          resend_requested_at: null,
          updated_ms: finishedAt,
        })
        .where('id', '=', delivery.id)
        .where('locked_until', '=', delivery.lease)
        .execute();
    });
    this.#publish(delivery, target, outcome, attemptNumber, now);
  }

  /** Changes a delivery only while this process's claim on it holds (no resend, no expiry came between). */
  async #updateIfClaimed(delivery: Claimed, changes: Updateable<WebhookDeliveriesTable>): Promise<void> {
    await this.#options.db
      .updateTable('webhook_deliveries')
      .set(changes)
      .where('id', '=', delivery.id)
      .where('locked_until', '=', delivery.lease)
      .execute();
  }

  #publish(
    delivery: Claimed,
    target: { url: string; type: string },
    outcome: AttemptOutcome,
    attempt: number,
    createdMs: number,
  ): void {
    this.#options.bus.publishDelivery({
      accountId: delivery.account_id,
      mode: delivery.mode,
      eventId: delivery.event_id,
      eventType: target.type,
      endpointId: delivery.endpoint_id,
      url: target.url,
      status: outcome.status,
      error: outcome.error,
      durationMs: outcome.durationMs,
      attempt,
      succeeded: outcome.succeeded,
      createdMs,
    });
  }
}
