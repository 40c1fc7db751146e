import type { Kysely } from 'kysely';
import type { Database, KeyMode, RequestSource } from '../lib/db/schema.ts';
import type { Decoded, DecodedValue } from './params.ts';

/** One sandbox request, as the dashboard's log shows it. */
export interface LogEntry {
  id: string;
  accountId: string;
  mode: KeyMode;
  keyId: string | null;
  maskedKey: string;
  source: RequestSource;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  idempotencyKey: string | null;
  query: Decoded | null;
  body: Decoded | null;
  response: unknown;
  userAgent: string | null;
  createdMs: number;
}

/** Keys, passwords and card numbers never reach the log, whatever parameter carries them. */
const SECRET_VALUE = /\b(?:sk|rk)_(?:test|live)_[0-9A-Za-z]{8,}/g;
const SECRET_NAME = /pass(?:word)?|secret|token|api_key|card\[number\]|cvc/i;

export function redact(params: Decoded | null, path = ''): Decoded | null {
  if (!params) return null;
  const walk = (value: DecodedValue, name: string): DecodedValue => {
    if (typeof value === 'string') {
      if (SECRET_NAME.test(name)) return '[redacted]';
      return value.replace(SECRET_VALUE, (key) => `${key.slice(0, 8)}[redacted]`);
    }
    if (Array.isArray(value)) return value.map((item, index) => walk(item, `${name}[${index}]`));
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, walk(inner, `${name}[${key}]`)]),
    );
  };
  return Object.fromEntries(
    Object.entries(params).map(([key, value]) => [key, walk(value, path ? `${path}[${key}]` : key)]),
  );
}

/**
 * Writes a log entry without holding up the response: the caller does not wait, and a
 * failure to log is reported to the server's own log, never to the API client. The promise
 * resolves to whether the entry was written.
 */
export function writeLog(db: Kysely<Database>, entry: LogEntry): Promise<boolean> {
  return db
    .insertInto('request_logs')
    .values({
      id: entry.id,
      account_id: entry.accountId,
      mode: entry.mode,
      key_id: entry.keyId,
      masked_key: entry.maskedKey,
      source: entry.source,
      method: entry.method,
      path: entry.path,
      status: entry.status,
      duration_ms: Math.round(entry.durationMs),
      idempotency_key: entry.idempotencyKey,
      query: entry.query && Object.keys(entry.query).length ? JSON.stringify(redact(entry.query)) : null,
      body: entry.body && Object.keys(entry.body).length ? JSON.stringify(redact(entry.body)) : null,
      // A key sent in a parameter comes back in the response (metadata echoes it): redact there too.
      response: JSON.stringify(entry.response).replace(SECRET_VALUE, (key) => `${key.slice(0, 8)}[redacted]`),
      user_agent: entry.userAgent?.slice(0, 500) ?? null,
      created_ms: entry.createdMs,
    })
    .execute()
    .then(
      () => true,
      (error: unknown) => {
        console.error(`Could not log sandbox request ${entry.id}:`, error);
        return false;
      },
    );
}
