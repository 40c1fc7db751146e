import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { RequestNotice } from './request-bus.ts';

/** The most recent request of an account, as a notice, for a stream's first message. */
export async function latestNotice(db: Kysely<Database>, accountId: string): Promise<RequestNotice | null> {
  const row = await db
    .selectFrom('request_logs')
    .select(['id', 'account_id', 'mode', 'method', 'path', 'status', 'source', 'response', 'created_ms'])
    .where('account_id', '=', accountId)
    .where('mode', '=', 'test')
    .orderBy('created_ms', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  return noticeFrom({ ...row, response: JSON.parse(row.response) as unknown });
}

/** A notice from a logged request and its response body. */
export function noticeFrom(row: {
  id: string;
  account_id: string | null;
  mode: 'test' | 'live';
  method: string;
  path: string;
  status: number;
  source: string;
  response: unknown;
  created_ms: number;
}): RequestNotice {
  const body = (row.response ?? {}) as { id?: unknown; error?: { code?: string; message?: string } };
  return {
    accountId: row.account_id,
    mode: row.mode,
    requestId: row.id,
    method: row.method,
    path: row.path,
    status: row.status,
    source: row.source,
    objectId: typeof body.id === 'string' ? body.id : null,
    errorCode: body.error?.code ?? null,
    errorMessage: body.error?.message ?? null,
    createdMs: row.created_ms,
  };
}
