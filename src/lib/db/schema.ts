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
}

export interface UsersTable {
  id: string;
  /** Lower-cased and trimmed; unique. */
  email: string;
  password_hash: string;
  created_at: number;
}

export interface AccountsTable {
  /** `acct_` + 16 characters. */
  id: string;
  name: string;
  created_at: number;
}

/** Account roles; sign-up makes the user the owner. Teams arrive with more roles later. */
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
  /** `email:<address>` or `ip:<address>`. */
  key: string;
  failures: number;
  /** Until when attempts are refused (ms), or 0. */
  locked_until: number;
  last_failure_at: number;
}
