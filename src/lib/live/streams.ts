import type { Kysely } from 'kysely';
import { matchOperation, type OperationSpec } from '../../spec/operations.ts';
import type { Database } from '../db/schema.ts';
import { REQUEST_LIMITS, routedTo } from './operation-requests.ts';
import type { RequestNotice } from './request-bus.ts';

/**
 * The most recent test-mode request of an account, as a notice, for a stream's first message;
 * with `operation`, the most recent one the sandbox routed to it, among the account's latest
 * `REQUEST_LIMITS.window` (the bound that keeps `latestRequests` cheap on a long log).
 */
export async function latestNotice(
  db: Kysely<Database>,
  accountId: string,
  operation?: OperationSpec,
): Promise<RequestNotice | null> {
  const row = await db
    .with('recent', (recent) =>
      recent
        .selectFrom('request_logs')
        .select(['id', 'account_id', 'mode', 'method', 'path', 'status', 'source', 'response', 'created_ms'])
        .where('account_id', '=', accountId)
        .where('mode', '=', 'test')
        .orderBy('created_ms', 'desc')
        .orderBy('id', 'desc')
        .limit(operation ? REQUEST_LIMITS.window : 1),
    )
    .selectFrom('recent')
    .selectAll()
    .$if(operation !== undefined, (query) => query.where(routedTo(operation!)))
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
    operation: matchOperation(row.method, row.path).operation?.id ?? null,
    status: row.status,
    source: row.source,
    objectId: typeof body.id === 'string' ? body.id : null,
    errorCode: body.error?.code ?? null,
    errorMessage: body.error?.message ?? null,
    createdMs: row.created_ms,
  };
}
