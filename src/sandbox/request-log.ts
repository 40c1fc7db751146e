import type { Insertable, Kysely } from 'kysely';
import { inTransaction } from '../lib/db/group-commit.ts';
import type { RequestSource } from '../isomorphic/command-line/request-source.ts';
import type { Database, KeyMode, RequestLogsTable } from '../lib/db/schema.ts';
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

type LogRow = Insertable<RequestLogsTable>;

/** The row an entry is stored as, once redacted. */
function rowOf(entry: LogEntry): LogRow {
  return {
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
  };
}

/**
 * Rows in one insert: 16 columns each keeps a full insert far under both databases' limits on
 * bound parameters, and a commit after a burst short.
 */
const ROWS_PER_INSERT = 64;

interface Pending {
  entry: LogEntry;
  row: LogRow;
  done: (written: LogEntry | null) => void;
}

/** The entries of each database waiting for the next insert. */
const pendingFor = new WeakMap<Kysely<Database>, Pending[]>();

/**
 * Writes a log entry, redacted, without holding up the response: the caller does not wait,
 * and a failure to log is reported to the server's own log, never to the API client. The
 * promise resolves to the entry as written (what live notices may show), or null.
 *
 * Entries logged in the same turn of the event loop are written together, in one insert (on
 * SQLite, in the commit the sandbox's own writes of the moment share: see group-commit.ts).
 * That changes nothing a client is promised: a log entry was always written after its
 * response was sent, so a crash in between could always lose it.
 */
export function writeLog(db: Kysely<Database>, logged: LogEntry): Promise<LogEntry | null> {
  const entry = redactEntry(logged);
  return new Promise((done) => {
    let pending = pendingFor.get(db);
    if (!pending) {
      pending = [];
      pendingFor.set(db, pending);
      setImmediate(() => {
        pendingFor.delete(db);
        for (let at = 0; at < pending!.length; at += ROWS_PER_INSERT)
          void insertRows(db, pending!.slice(at, at + ROWS_PER_INSERT));
      });
    }
    pending.push({ entry, row: rowOf(entry), done });
  });
}

/**
 * Inserts entries together. If that fails, each is tried alone, so one entry the database
 * refuses does not cost the others their place in the log.
 */
async function insertRows(db: Kysely<Database>, batch: Pending[]): Promise<void> {
  const insert = (rows: LogRow[]) =>
    inTransaction(db, (trx) => trx.insertInto('request_logs').values(rows).execute());
  try {
    await insert(batch.map((pending) => pending.row));
    for (const pending of batch) pending.done(pending.entry);
    return;
  } catch (error) {
    if (batch.length === 1) {
      console.error(`Could not log sandbox request ${batch[0]!.entry.id}:`, error);
      batch[0]!.done(null);
      return;
    }
  }
  await Promise.all(batch.map((pending) => insertRows(db, [pending])));
}
