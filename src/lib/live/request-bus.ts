import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { DatabaseLocation } from '../config/database-url.ts';

/** What a reader's live views learn about a sandbox request: enough to show and explain it. */
export interface RequestNotice {
  /** Null for a refused sample key whose guest sandbox does not exist: `guestKeyHash` routes it. */
  accountId: string | null;
  /** SHA-256 of that sample key; routing only, never sent to a browser. */
  guestKeyHash?: string;
  mode: 'test' | 'live';
  requestId: string;
  method: string;
  path: string;
  /** The operation the sandbox routed it to (`create-customer`); null when it routed it nowhere. */
  operation: string | null;
  status: number;
  source: string;
  /** The object the request made or touched (`cus_…`), when it has one. */
  objectId: string | null;
  /** For failures: the error's code and message, to explain what to fix. */
  errorCode: string | null;
  errorMessage: string | null;
  createdMs: number;
}

/**
 * A member's access to an account changed (role lowered, removed, switched away), or, when
 * `sessionId` is given, that one session ended (sign-out).
 */
export interface AccessChange {
  accountId: string;
  userId: string;
  sessionId?: string;
}

/**
 * A sandbox event was recorded (and committed). Only ids travel: NOTIFY payloads are limited to
 * 8000 bytes, and an event can be larger, so whoever needs the event reads it from the database.
 */
export interface EventNotice {
  accountId: string;
  mode: 'test' | 'live';
  eventId: string;
  type: string;
  createdMs: number;
  /**
   * How many webhook deliveries the event owes. Zero lets the delivery workers skip looking at
   * their queue; a notice without it (from a process that did not say) wakes them as before.
   */
  deliveries?: number;
}

/**
 * A webhook event reached (or failed to reach) a reader's handler: a delivery attempt to one of
 * their endpoints, or a forward by `keyway listen` (`endpointId` null), which reports back what
 * the reader's handler answered.
 */
export interface DeliveryNotice {
  accountId: string;
  mode: 'test' | 'live';
  eventId: string;
  eventType: string;
  /** `we_…`, or null for a `keyway listen` forward. */
  endpointId: string | null;
  url: string;
  /** The handler's HTTP status; null when no answer came. */
  status: number | null;
  /** Why no answer came, or why the address was refused; null when one came. */
  error: string | null;
  durationMs: number;
  /** 1 for the first try. */
  attempt: number;
  /** A 2xx came back. */
  succeeded: boolean;
  createdMs: number;
}

const CHANNEL = 'keyway_requests';
const ACCESS_CHANNEL = 'keyway_access';
const EVENT_CHANNEL = 'keyway_events';
const DELIVERY_CHANNEL = 'keyway_deliveries';

/** Each PostgreSQL channel and the local event it becomes. */
const CHANNEL_EVENTS: Record<string, string> = {
  [CHANNEL]: 'notice',
  [ACCESS_CHANNEL]: 'access',
  [EVENT_CHANNEL]: 'event',
  [DELIVERY_CHANNEL]: 'delivery',
};

/**
 * Carries request notices from the process that served a sandbox request to every process
 * holding a reader's live stream. In one process (SQLite) an EventEmitter is the whole bus;
 * on PostgreSQL each notice also goes through NOTIFY, and every process LISTENs, so a
 * request served by one process reaches a stream held by another. Changes to who may see
 * an account travel the same way, so a removed member's open streams end everywhere.
 */
export class RequestBus {
  readonly #local = new EventEmitter();
  #listener: pg.Client | null = null;
  #publisher: pg.Pool | null = null;

  constructor() {
    // Every open stream listens; there may be many.
    this.#local.setMaxListeners(0);
  }

  /** Starts listening on PostgreSQL, when the database is PostgreSQL. */
  async connect(location: DatabaseLocation): Promise<void> {
    if (location.kind !== 'postgres') return;
    this.#publisher = new pg.Pool({ connectionString: location.connectionString, max: 2 });
    this.#publisher.on('error', (error) => console.error(`Live notices: ${error.message}`));
    await this.#listen(location.connectionString);
  }

  async #listen(connectionString: string): Promise<void> {
    const client = new pg.Client({ connectionString });
    client.on('notification', (message) => {
      const event = CHANNEL_EVENTS[message.channel];
      if (!event || !message.payload) return;
      try {
        this.#local.emit(event, JSON.parse(message.payload) as unknown);
      } catch {
        // A payload we did not write; ignore it.
      }
    });
    client.on('error', (error) => {
      console.error(`Live notices lost their connection (${error.message}); reconnecting.`);
      this.#listener = null;
      setTimeout(() => void this.#listen(connectionString).catch(() => {}), 1000).unref();
    });
    await client.connect();
    for (const channel of Object.keys(CHANNEL_EVENTS)) await client.query(`LISTEN ${channel}`);
    this.#listener = client;
  }

  /** Tells every stream, in every process, about a request. Never throws. */
  publish(notice: RequestNotice): void {
    this.#send(CHANNEL, 'notice', notice);
  }

  /** Tells every process that a member's access to an account changed. Never throws. */
  publishAccessChange(change: AccessChange): void {
    this.#send(ACCESS_CHANNEL, 'access', change);
  }

  /** Tells every process that an event was recorded (webhook delivery, `keyway listen`). Never throws. */
  publishEvent(notice: EventNotice): void {
    this.#send(EVENT_CHANNEL, 'event', notice);
  }

  /** Tells every process how a webhook delivery or a `keyway listen` forward went. Never throws. */
  publishDelivery(notice: DeliveryNotice): void {
    this.#send(DELIVERY_CHANNEL, 'delivery', notice);
  }

  #send(
    channel: string,
    event: string,
    payload: RequestNotice | AccessChange | EventNotice | DeliveryNotice,
  ): void {
    if (this.#publisher) {
      this.#publisher
        .query('SELECT pg_notify($1, $2)', [channel, JSON.stringify(payload)])
        .catch((error: Error) => console.error(`Could not publish a live notice: ${error.message}`));
    } else {
      this.#local.emit(event, payload);
    }
  }

  /** Calls `listener` for each notice; returns the function that stops it. */
  subscribe(listener: (notice: RequestNotice) => void): () => void {
    this.#local.on('notice', listener);
    return () => this.#local.off('notice', listener);
  }

  /** Calls `listener` for each access change; returns the function that stops it. */
  subscribeAccessChanges(listener: (change: AccessChange) => void): () => void {
    this.#local.on('access', listener);
    return () => this.#local.off('access', listener);
  }

  /** Calls `listener` for each recorded event; returns the function that stops it. */
  subscribeEvents(listener: (notice: EventNotice) => void): () => void {
    this.#local.on('event', listener);
    return () => this.#local.off('event', listener);
  }

  /** Calls `listener` for each webhook delivery attempt or listen forward; returns the function that stops it. */
  subscribeDeliveries(listener: (notice: DeliveryNotice) => void): () => void {
    this.#local.on('delivery', listener);
    return () => this.#local.off('delivery', listener);
  }

  /** Ends the PostgreSQL connections, for a clean stop; a failure to end one is not an error then. */
  async close(): Promise<void> {
    await this.#listener?.end().catch(() => {});
    await this.#publisher?.end().catch(() => {});
  }
}

const SLOT = Symbol.for('keyway.request-bus');
type Holder = { [SLOT]?: RequestBus };

/**
 * The process's bus, shared (like the database) between the server's own modules and
 * Astro's bundled copy of them.
 */
export function requestBus(): RequestBus {
  const holder = globalThis as Holder;
  holder[SLOT] ??= new RequestBus();
  return holder[SLOT];
}
