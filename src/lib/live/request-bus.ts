import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { DatabaseLocation } from '../db/database-url.ts';

/** What a reader's live views learn about a sandbox request: enough to show and explain it. */
export interface RequestNotice {
  accountId: string;
  mode: 'test' | 'live';
  requestId: string;
  method: string;
  path: string;
  status: number;
  source: string;
  /** The object the request made or touched (`cus_…`), when it has one. */
  objectId: string | null;
  /** For failures: the error's code and message, to explain what to fix. */
  errorCode: string | null;
  errorMessage: string | null;
  createdMs: number;
}

const CHANNEL = 'keyway_requests';

/**
 * Carries request notices from the process that served a sandbox request to every process
 * holding a reader's live stream. In one process (SQLite) an EventEmitter is the whole bus;
 * on PostgreSQL each notice also goes through NOTIFY, and every process LISTENs, so a
 * request served by one process reaches a stream held by another.
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
      if (message.channel !== CHANNEL || !message.payload) return;
      try {
        this.#local.emit('notice', JSON.parse(message.payload) as RequestNotice);
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
    await client.query(`LISTEN ${CHANNEL}`);
    this.#listener = client;
  }

  /** Tells every stream, in every process, about a request. Never throws. */
  publish(notice: RequestNotice): void {
    if (this.#publisher) {
      this.#publisher
        .query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify(notice)])
        .catch((error: Error) => console.error(`Could not publish a live notice: ${error.message}`));
    } else {
      this.#local.emit('notice', notice);
    }
  }

  /** Calls `listener` for each notice; returns the function that stops it. */
  subscribe(listener: (notice: RequestNotice) => void): () => void {
    this.#local.on('notice', listener);
    return () => this.#local.off('notice', listener);
  }

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
