import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import { ROUTES, routeFor } from '../../sandbox/router.ts';
import type { OperationSpec } from '../../spec/operations.ts';
import { escapeLike, like } from '../db/like.ts';
import type { Database, KeyMode } from '../db/schema.ts';

/** How many requests a reader may ask for at once, and how many they get unasked. */
export const REQUEST_LIMITS = { default: 5, max: 20 } as const;

/** One of a reader's requests to an operation, as the reference shows it beside the operation. */
export interface OperationRequest {
  id: string;
  status: number;
  created_ms: number;
  method: string;
  path: string;
  /** Where the reader reads the whole log entry. */
  link: string;
}

/** Whose requests to look at: an account in one mode, and where its log entries are read. */
export interface RequestScope {
  accountId: string;
  mode: KeyMode;
  /** A member's own account has the dashboard's log; a guest sandbox only the JSON entry. */
  logs: 'dashboard' | 'entry';
}

/**
 * The condition on `request_logs` that keeps exactly the requests the sandbox routed to
 * `operation`. Only routed requests are logged (an unknown URL or method is refused before
 * the key is read), so the method and the path template decide: `{id}` becomes one path
 * segment, and a literal path of another operation that the template would also match
 * (`/v1/customers/search` against `/v1/customers/{id}`) is left out when the router gives
 * it to that other operation. The segment is matched with LIKE, not the router's pattern
 * (SQLite has no regular expressions), and a `/` in it is refused so it stays one segment.
 */
export function routedTo(operation: OperationSpec) {
  const [before, after] = operation.path.split('{id}') as [string, string | undefined];
  return (eb: ExpressionBuilder<Database, 'request_logs'>): Expression<SqlBool> => {
    const method = eb('method', '=', operation.method);
    if (after === undefined) return eb.and([method, eb('path', '=', operation.path)]);
    const others = ROUTES.map((route) => route.operation)
      .filter((other) => other.method === operation.method && !other.path.includes('{id}'))
      .map((other) => other.path)
      .filter(
        (path) =>
          path.startsWith(before) &&
          path.endsWith(after) &&
          routeFor(operation.method, path, '').route.operation.id !== operation.id,
      );
    const conditions: Expression<SqlBool>[] = [
      method,
      like('path', `${escapeLike(before)}%${escapeLike(after)}`),
      sql<SqlBool>`not ${like('path', `${escapeLike(before)}%/%${escapeLike(after)}`)}`,
    ];
    if (others.length > 0) conditions.push(eb('path', 'not in', others));
    return eb.and(conditions);
  };
}

/**
 * The scope's latest requests to an operation, newest first. The `request_logs_list` index
 * (account, mode, time, id) finds the scope's rows in order; method and path are checked on
 * those rows, so a page of five stops as soon as five match.
 */
export async function latestRequests(
  db: Kysely<Database>,
  scope: RequestScope,
  operation: OperationSpec,
  limit: number,
): Promise<OperationRequest[]> {
  const rows = await db
    .selectFrom('request_logs')
    .select(['id', 'status', 'created_ms', 'method', 'path'])
    .where('account_id', '=', scope.accountId)
    .where('mode', '=', scope.mode)
    .where(routedTo(operation))
    .orderBy('created_ms', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    ...row,
    link: scope.logs === 'dashboard' ? `/dashboard/logs/${row.id}` : `/api/requests/${row.id}`,
  }));
}
