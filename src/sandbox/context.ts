import type { Kysely } from 'kysely';
import type { Database, KeyMode } from '../lib/db/schema.ts';
import type { Lookup } from '../lib/webhooks/address-policy.ts';
import type { LogEntry } from './request-log.ts';
import type { RateWindows } from './rate-limit.ts';
import type { GuestGate } from './sample-key-auth.ts';
import type { Validated } from './validate.ts';

/** What the sandbox needs from the server around it. */
export interface SandboxDeps {
  db: Kysely<Database>;
  /** This site's origin, for links in error messages (`doc_url`, dashboard). */
  origin: string;
  /** Requests per second each key may make (Stripe's sandbox allows 25). */
  rateLimitPerSecond: number;
  /**
   * Where each key's one-second counts are kept. Left out, in the database, which every process
   * on it shares; a server that alone serves its database may count in memory instead.
   */
  rateWindows?: RateWindows;
  /** Recognises sample keys on first use and starts their guest sandboxes. */
  guests: GuestGate;
  /** The clock, in milliseconds; tests may fix it. */
  now?: () => number;
  /** Told about each logged request once its entry is written, redacted (the live walkthrough). */
  onLogged?: (entry: LogEntry) => void;
  /**
   * Told about the events a request recorded, once its change has committed (webhook delivery
   * wakes, `keyway listen` streams). Not told of events whose change rolled back.
   */
  onEvents?: (events: RecordedEvent[]) => void;
  /** Told about each refusal of a sample key whose guest sandbox does not exist (nothing is logged). */
  onGuestRefusal?: (refusal: GuestRefusal) => void;
  /**
   * Which addresses webhook endpoint URLs may point at (`WEBHOOK_PRIVATE_TARGETS`). Left out,
   * private addresses are refused and host names are looked up in the system's DNS: a caller
   * has to ask for the looser rule.
   */
  webhookTargets?: WebhookTargets;
}

/** How a webhook endpoint's URL is checked before it is saved. */
export interface WebhookTargets {
  /** Whether loopback, private, link-local and metadata addresses are allowed. */
  allowPrivate: boolean;
  /** Resolves host names; tests give their own. The system's DNS when left out. */
  lookup?: Lookup;
}

/** A refused request of a sample key whose guest sandbox does not exist, redacted like a log entry. */
export interface GuestRefusal {
  /** SHA-256 of the sample key, which names the guest sandbox its first use would start. */
  guestKeyHash: string;
  id: string;
  method: string;
  path: string;
  status: number;
  source: LogEntry['source'];
  response: unknown;
  createdMs: number;
}

/** An event a request recorded: what its listeners need to find it. */
export interface RecordedEvent {
  accountId: string;
  mode: KeyMode;
  id: string;
  type: string;
  createdMs: number;
  /** How many webhook deliveries it owes (written with it): none means the delivery worker need not look. */
  deliveries: number;
}

/** Everything an operation needs about the request it serves. */
export interface OperationContext {
  db: Kysely<Database>;
  accountId: string;
  mode: KeyMode;
  /** The id in the path, for operations on one object. */
  objectId: string | undefined;
  params: Validated;
  requestId: string;
  idempotencyKey: string | null;
  apiVersion: string;
  now: number;
  /** Events recorded so far; told to `SandboxDeps.onEvents` once the operation has finished. */
  recordedEvents: RecordedEvent[];
  /** How webhook endpoint URLs are checked (see `SandboxDeps.webhookTargets`). */
  webhookTargets: WebhookTargets;
}

/** An operation's answer: the status and the JSON body. */
export interface OperationResult {
  status: number;
  body: unknown;
}

/** The API version the sandbox renders objects in when the request names none. */
export { DEFAULT_API_VERSION } from '../spec/version.ts';
