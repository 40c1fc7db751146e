import type { Generated } from 'kysely';
import type { RequestSource } from '../../isomorphic/command-line/request-source.ts';

/**
 * Table types for Kysely. Times are Unix milliseconds (integers), so SQLite and PostgreSQL
 * store and compare them the same way.
 */
export interface Database {
  users: UsersTable;
  accounts: AccountsTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
  login_throttles: LoginThrottlesTable;
  customers: CustomersTable;
  events: EventsTable;
  request_logs: RequestLogsTable;
  idempotency_records: IdempotencyRecordsTable;
  rate_windows: RateWindowsTable;
  invitations: InvitationsTable;
  email_verifications: EmailVerificationsTable;
  site_secrets: SiteSecretsTable;
  password_resets: PasswordResetsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
}

export interface UsersTable {
  id: string;
  /** Lower-cased and trimmed; unique. */
  email: string;
  password_hash: string;
  created_at: number;
  /** The account the user last chose in the picker; a new session starts there. */
  last_account_id: Generated<string | null>;
  /** When the user opened a verification link sent to `email`; null until then. */
  email_verified_at: Generated<number | null>;
}

export interface AccountsTable {
  /** `acct_` + 16 characters. */
  id: string;
  name: string;
  created_at: number;
  /** `guest`: an anonymous reader's sandbox, with no users; it expires after a day unused. */
  kind: Generated<'standard' | 'guest'>;
  /** The client address that made a guest sandbox (creation is limited per address). */
  guest_address: string | null;
  /** When a guest sandbox was last used. */
  last_active_at: number | null;
}

/** Account roles; sign-up makes the user the owner (see src/lib/teams/roles.ts). */
export type Role = 'owner' | 'admin' | 'developer' | 'viewer';

export interface MembershipsTable {
  account_id: string;
  user_id: string;
  role: Role;
  created_at: number;
}

export interface SessionsTable {
  /** The public half of the token; the secret half is stored only as a hash. */
  id: string;
  /** SHA-256 of the token's secret, hex. */
  secret_hash: string;
  user_id: string;
  /** Whose keys this session works with. */
  account_id: string;
  created_at: number;
  /** Moves forward at most hourly; the session ends 30 days after it. */
  last_verified_at: number;
}

export type KeyMode = 'test' | 'live';
export type KeyKind = 'secret' | 'publishable' | 'restricted';

export interface ApiKeysTable {
  /** `key_` + 16 characters: how pages and forms name a key without showing it. */
  id: string;
  account_id: string;
  mode: KeyMode;
  kind: KeyKind;
  /** A restricted key's name; null for standard keys. */
  name: string | null;
  /** SHA-256 of the whole key, hex; unique. Presented keys are found by this. */
  key_hash: string;
  /** The key itself, kept only where it may be shown again (test secret, publishable). */
  plaintext: string | null;
  /** Prefix and last characters, for masked display: `sk_live_`, `a1b2`. */
  prefix: string;
  last_four: string;
  /** JSON: `{"customers":"write","events":"read"}`, for restricted keys. */
  permissions: string | null;
  created_at: number;
  last_used_at: number | null;
  /** Null while the key works indefinitely; set when it was rolled or deleted. */
  expires_at: number | null;
  /** The key that replaced this one in a roll. */
  replaced_by: string | null;
}

export interface LoginThrottlesTable {
  /**
   * `ip:<client address>` and `ip-email:<client address> <email>` (sign-in attempts), or
   * `signup:<client address>` (sign-up attempts; last_failure_at is when the hour began).
   */
  key: string;
  failures: number;
  /** Until when attempts are refused (ms), or 0. */
  locked_until: number;
  last_failure_at: number;
}

/** A sandbox customer: its JSON as the API returns it, and the columns lists filter on. */
export interface CustomersTable {
  /** `cus_` + 14 characters. */
  id: string;
  account_id: string;
  mode: KeyMode;
  email: string | null;
  /** Unix seconds, as in the object. */
  created: number;
  /** Milliseconds, for a stable newest-first order. */
  created_ms: number;
  /** Set when deleted; the row stays so events can still name it. */
  deleted_at: number | null;
  /** The customer object, JSON. */
  object: string;
}

export interface EventsTable {
  /** `evt_` + 24 characters. */
  id: string;
  account_id: string;
  mode: KeyMode;
  type: string;
  /** The object the event is about (`cus_…`). */
  object_id: string;
  request_id: string | null;
  created: number;
  created_ms: number;
  /** The event object, JSON. */
  event: string;
}

export interface RequestLogsTable {
  /** The request id, `req_` + 14 characters. */
  id: string;
  account_id: string;
  mode: KeyMode;
  key_id: string | null;
  /** The key as shown in logs: `sk_test_…a1b2`. */
  masked_key: string;
  source: RequestSource;
  method: string;
  path: string;
  status: number;
  duration_ms: number;
  idempotency_key: string | null;
  /** Query parameters, JSON, secrets redacted. */
  query: string | null;
  /** Body parameters, JSON, secrets redacted. */
  body: string | null;
  /** The response body, JSON. */
  response: string;
  user_agent: string | null;
  created_ms: number;
}

export interface IdempotencyRecordsTable {
  account_id: string;
  mode: KeyMode;
  key: string;
  /** Method, path and parameters, hashed: a reuse with others is refused. */
  fingerprint: string;
  /** Null while the first request is still running. */
  status: number | null;
  response: string | null;
  created_ms: number;
}

/** Requests per key per second, for the rate limit. */
export interface RateWindowsTable {
  key_id: string;
  second: number;
  count: number;
}

/** An invitation to join an account: a single-use link, valid for 7 days. */
export interface InvitationsTable {
  /** `inv_` + 16 characters. */
  id: string;
  account_id: string;
  /** Normalized like users' emails; only this address may accept. */
  email: string;
  role: Role;
  /** SHA-256 of the link's token, hex: the link itself is shown once, to the inviter. */
  token_hash: string;
  invited_by: string | null;
  created_at: number;
  expires_at: number;
  accepted_at: number | null;
  accepted_by: string | null;
  revoked_at: number | null;
}

/** A link that proves its user reads mail at their address: single use, for a day. */
export interface EmailVerificationsTable {
  /** SHA-256 of the link's token, hex: the token itself exists only in the email. */
  token_hash: string;
  user_id: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

/** Secrets the site makes for itself (migration 0006): `sample_keys` keys sample keys' MAC. */
export interface SiteSecretsTable {
  name: string;
  /** Hex. */
  value: string;
}

/** A link that lets its user choose a new password (migration 0007): single use, short-lived. */
export interface PasswordResetsTable {
  /** SHA-256 of the link's token, hex: the token itself exists only in the email or the operator's terminal. */
  token_hash: string;
  user_id: string;
  created_at: number;
  expires_at: number;
}

/** A reader's webhook endpoint (`we_…`); the API object is built from these columns. */
export interface WebhookEndpointsTable {
  id: string;
  account_id: string;
  mode: KeyMode;
  url: string;
  description: string | null;
  /** JSON: `["*"]` or a list of event types. */
  enabled_events: string;
  /** JSON object. */
  metadata: string;
  status: 'enabled' | 'disabled';
  api_version: string | null;
  /** `whsec_…`, kept in full because every delivery is signed with it; shown only at creation. */
  secret: string;
  /** Unix seconds, as the API shows it. */
  created: number;
  created_ms: number;
}

export type WebhookDeliveryState = 'pending' | 'succeeded' | 'failed';

/** One event owed to one endpoint: written with the event, claimed and tried by the delivery worker. */
export interface WebhookDeliveriesTable {
  id: string;
  endpoint_id: string;
  event_id: string;
  account_id: string;
  mode: KeyMode;
  state: WebhookDeliveryState;
  attempt_count: Generated<number>;
  /** When the next try is due; null once the delivery is finished. */
  next_attempt_at: number | null;
  /** A process's lease on it: others skip it until then. */
  locked_until: number | null;
  /** Set by a resend a person asked for; the worker's next attempt is marked manual and clears it. */
  resend_requested_at: number | null;
  created_ms: number;
  updated_ms: number;
}

/** One try at a delivery: what was sent where, and what came back. */
export interface WebhookAttemptsTable {
  id: string;
  delivery_id: string;
  attempt_number: number;
  /** 1 for a resend a person asked for. */
  manual: Generated<number>;
  url: string;
  /** Null when no answer came (refused address, connection error, timeout). */
  status: number | null;
  error: string | null;
  duration_ms: number;
  /** The first kilobyte of the answer's body. */
  response_body: string | null;
  created_ms: number;
}
