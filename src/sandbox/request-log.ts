import type { Kysely } from 'kysely';
import type { RequestSource } from '../isomorphic/command-line/request-source.ts';
import type { Database, KeyMode } from '../lib/db/schema.ts';
import type { Decoded } from './params.ts';
import { redactJson, redactParams, redactText } from './redaction.ts';

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

/** The entry as it may be stored and shown: no key in any field (see redaction.ts). */
export function redactEntry(entry: LogEntry): LogEntry {
  return {
    ...entry,
    // Routes take ids of [A-Za-z0-9_] only, so a logged path is never percent-encoded.
    path: redactText(entry.path),
    idempotencyKey: entry.idempotencyKey === null ? null : redactText(entry.idempotencyKey),
    query: redactParams(entry.query),
    body: redactParams(entry.body),
    response: redactJson(entry.response),
    userAgent: entry.userAgent === null ? null : redactText(entry.userAgent),
  };
}

/**
 * Writes a log entry, redacted, without holding up the response: the caller does not wait,
 * and a failure to log is reported to the server's own log, never to the API client. The
 * promise resolves to the entry as written (what live notices may show), or null.
 */
export function writeLog(db: Kysely<Database>, logged: LogEntry): Promise<LogEntry | null> {
  const entry = redactEntry(logged);
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
      query: entry.query && Object.keys(entry.query).length ? JSON.stringify(entry.query) : null,
      body: entry.body && Object.keys(entry.body).length ? JSON.stringify(entry.body) : null,
      response: JSON.stringify(entry.response),
      user_agent: entry.userAgent?.slice(0, 500) ?? null,
      created_ms: entry.createdMs,
    })
    .execute()
    .then(
      () => entry,
      (error: unknown) => {
        console.error(`Could not log sandbox request ${entry.id}:`, error);
        return null;
      },
    );
}
