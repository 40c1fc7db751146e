import type { Kysely } from 'kysely';
import { openSessionIds } from '../auth/session.ts';
import type { Database } from '../db/schema.ts';
import type { AccessChange, DeliveryNotice, EventNotice, RequestBus, RequestNotice } from './request-bus.ts';

/** Accounts remembered as not being guest sandboxes; past this many the memory starts over. */
const NOT_GUEST_MEMORY = 10_000;
/** Sessions checked per query on a heartbeat (well under SQLite's limit on parameters). */
const SESSION_BATCH = 500;

/** One open stream, as the hub sees it. */
export interface LiveStream {
  /** The signed-in member behind it: the stream ends with their session or their access. */
  member: { sessionId: string; accountId: string; userId: string } | null;
  /** Writes Server-Sent Events text to the stream. */
  send: (text: string) => void;
  /** Closes the stream and gives back its slot; it must also call `hub.remove`. */
  end: () => void;
}

/**
 * Where a stream's notices come from: an account it already knows, or the guest sandbox an
 * anonymous reader's sample key will start (named by SHA-256 of the key, as api_keys stores it).
 */
export type StreamSource = { accountId: string } | { guestKeyHash: string };

/**
 * Every open stream of a process, filed by the account whose requests it shows. A notice is
 * routed by one map lookup, so its cost does not grow with the number of open streams; only
 * a notice for an account no stream is filed under, while some anonymous reader still waits
 * for their guest sandbox, costs one query (and a member account's answer is remembered).
 * One heartbeat keeps every stream alive, closes idle ones, and checks in one query that
 * each member's session is still open, so a stream ends with its session.
 */
export class StreamHub {
  readonly #streams = new Map<
    LiveStream,
    { file: Map<string, Set<LiveStream>>; key: string; active: number }
  >();
  readonly #byAccount = new Map<string, Set<LiveStream>>();
  readonly #awaitingGuest = new Map<string, Set<LiveStream>>();
  readonly #notGuests = new Set<string>();
  #unsubscribe: (() => void) | null = null;
  #heartbeat: ReturnType<typeof setInterval> | null = null;

  readonly #db: Kysely<Database>;
  readonly #bus: RequestBus;
  readonly #heartbeatMs: number;
  readonly #idleMs: number;

  /**
   * `timing.idleMs`: a stream with nothing to say for this long is closed on the next
   * heartbeat; the browser reconnects if the page is still open.
   */
  constructor(db: Kysely<Database>, bus: RequestBus, timing: { heartbeatMs: number; idleMs: number }) {
    this.#db = db;
    this.#bus = bus;
    this.#heartbeatMs = timing.heartbeatMs;
    this.#idleMs = timing.idleMs;
  }

  /** Files a stream under its source; the first stream starts listening to the bus. */
  add(stream: LiveStream, source: StreamSource): void {
    if ('accountId' in source) this.#file(stream, this.#byAccount, source.accountId);
    else this.#file(stream, this.#awaitingGuest, source.guestKeyHash);
    if (this.#unsubscribe) return;
    const stopNotices = this.#bus.subscribe((notice) => this.#onNotice(notice));
    const stopEvents = this.#bus.subscribeEvents((notice) => this.#onEvent(notice));
    const stopAccess = this.#bus.subscribeAccessChanges((change) => this.#onAccessChange(change));
    const stopDeliveries = this.#bus.subscribeDeliveries((notice) => this.#onDelivery(notice));
    this.#unsubscribe = () => {
      stopNotices();
      stopEvents();
      stopAccess();
      stopDeliveries();
    };
    this.#heartbeat = setInterval(() => void this.#beat(), this.#heartbeatMs);
    this.#heartbeat.unref();
  }

  /** Forgets a stream (idempotent); the last one stops the listening and the heartbeat. */
  remove(stream: LiveStream): void {
    const filed = this.#streams.get(stream);
    if (!filed) return;
    this.#streams.delete(stream);
    const peers = filed.file.get(filed.key);
    peers?.delete(stream);
    if (peers?.size === 0) filed.file.delete(filed.key);
    if (this.#streams.size > 0) return;
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    this.#heartbeat = null;
  }

  #file(stream: LiveStream, file: Map<string, Set<LiveStream>>, key: string): void {
    const active = this.#streams.get(stream)?.active ?? Date.now();
    this.#streams.set(stream, { file, key, active });
    const peers = file.get(key) ?? new Set<LiveStream>();
    peers.add(stream);
    file.set(key, peers);
  }

  #onNotice(notice: RequestNotice): void {
    if (notice.mode !== 'test') return;
    // The routing hash stays on the server (JSON leaves out an undefined field).
    const shown = { ...notice, guestKeyHash: undefined };
    const text = `event: request\nid: ${notice.requestId}\ndata: ${JSON.stringify(shown)}\n\n`;
    if (notice.accountId === null) {
      const waiting = notice.guestKeyHash ? this.#awaitingGuest.get(notice.guestKeyHash) : undefined;
      return this.#send(text, waiting);
    }
    this.#route(notice.accountId, text);
  }

  /**
   * An event the sandbox recorded (the shell's `listen` shows them): its id, type and time
   * only; the event itself is the reader's to fetch with their key. No `id:` line, so a
   * reconnecting browser's Last-Event-ID stays a request's.
   */
  #onEvent(notice: EventNotice): void {
    if (notice.mode !== 'test') return;
    const shown = { id: notice.eventId, type: notice.type, createdMs: notice.createdMs };
    this.#route(notice.accountId, `event: sandbox-event\ndata: ${JSON.stringify(shown)}\n\n`);
  }

  /** Sends to the streams of an account, finding a guest sandbox's waiting streams first if need be. */
  #route(accountId: string, text: string): void {
    if (this.#byAccount.has(accountId)) return this.#send(text, this.#byAccount.get(accountId));
    if (this.#awaitingGuest.size === 0 || this.#notGuests.has(accountId)) return;
    this.#findWaitingGuest(accountId).then(
      () => this.#send(text, this.#byAccount.get(accountId)),
      (error: Error) => console.error(`Live streams could not look up a guest sandbox: ${error.message}`),
    );
  }

  /**
   * A webhook delivery or `keyway listen` forward reached (or missed) the reader's handler: sent
   * as its own event type, so a page that follows requests is not confused by it. Routed like a
   * request notice, by the account alone; live mode never reaches a stream, as for requests.
   * No `id:` line: a reconnecting browser's Last-Event-ID stays the last request's.
   */
  #onDelivery(notice: DeliveryNotice): void {
    if (notice.mode !== 'test') return;
    this.#route(notice.accountId, `event: delivery\ndata: ${JSON.stringify(notice)}\n\n`);
  }

  #send(text: string, streams: Set<LiveStream> | undefined): void {
    for (const stream of streams ?? []) {
      this.#streams.get(stream)!.active = Date.now();
      stream.send(text);
    }
  }

  /** Files the streams waiting for this account's guest sandbox under it, if it is one. */
  async #findWaitingGuest(accountId: string): Promise<void> {
    const rows = await this.#db
      .selectFrom('accounts')
      .leftJoin('api_keys', 'api_keys.account_id', 'accounts.id')
      .select(['accounts.kind', 'api_keys.key_hash'])
      .where('accounts.id', '=', accountId)
      .execute();
    if (rows.length > 0 && rows[0]!.kind !== 'guest') {
      if (this.#notGuests.size >= NOT_GUEST_MEMORY) this.#notGuests.clear();
      this.#notGuests.add(accountId);
      return;
    }
    for (const { key_hash: keyHash } of rows) {
      const waiting = keyHash ? this.#awaitingGuest.get(keyHash) : undefined;
      if (!waiting) continue;
      this.#awaitingGuest.delete(keyHash!);
      for (const stream of waiting) this.#file(stream, this.#byAccount, accountId);
    }
  }

  /** A member lost access, switched account or signed out: their streams end now. */
  #onAccessChange(change: AccessChange): void {
    for (const stream of [...this.#streams.keys()]) {
      const { member } = stream;
      if (!member) continue;
      const ended = change.sessionId
        ? member.sessionId === change.sessionId
        : member.accountId === change.accountId && member.userId === change.userId;
      if (ended) stream.end();
    }
  }

  async #beat(): Promise<void> {
    const now = Date.now();
    for (const [stream, { active }] of [...this.#streams]) {
      if (now - active >= this.#idleMs) stream.end();
      else stream.send(': keep-alive\n\n');
    }
    const members = [...this.#streams.keys()].filter((stream) => stream.member);
    const sessions = [...new Set(members.map((stream) => stream.member!.sessionId))];
    try {
      const open = new Set<string>();
      for (let start = 0; start < sessions.length; start += SESSION_BATCH) {
        for (const id of await openSessionIds(this.#db, sessions.slice(start, start + SESSION_BATCH), now)) {
          open.add(id);
        }
      }
      for (const stream of members) if (!open.has(stream.member!.sessionId)) stream.end();
    } catch (error) {
      // The database is unreachable for a moment: keep the streams, check again next beat.
      console.error(`Live streams could not check sessions: ${(error as Error).message}`);
    }
  }
}
