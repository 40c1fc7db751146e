import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import { isLiteralPath, matchOperation, OPERATIONS, type OperationSpec } from '../../spec/operations.ts';
import { escapeLike, like } from '../db/like.ts';
import type { Database, KeyMode } from '../db/schema.ts';

/**
 * How many requests a reader may ask for at once, how many they get unasked, and how many of
 * their latest requests are looked through for them.
 */
/** The declared paths that name no object, which win over a template they also fit. */
const LITERAL_PATHS: readonly string[] = [
  ...new Set((OPERATIONS as readonly OperationSpec[]).map((op) => op.path).filter(isLiteralPath)),
];

export const REQUEST_LIMITS = { default: 5, max: 20, window: 1000 } as const;

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
export function routedTo(operation: OperationSpec): RawBuilder<SqlBool> {
  const [before, after] = operation.path.split('{id}') as [string, string | undefined];
  const conditions = [sql<SqlBool>`${sql.ref('method')} = ${operation.method}`];
  if (after === undefined) {
    conditions.push(sql<SqlBool>`${sql.ref('path')} = ${operation.path}`);
  } else {
    const others = LITERAL_PATHS.filter(
      (path) =>
        path.startsWith(before) && path.endsWith(after) && routeOf(operation.method, path) !== operation.id,
    );
    conditions.push(
      like('path', `${escapeLike(before)}%${escapeLike(after)}`),
      sql<SqlBool>`not ${like('path', `${escapeLike(before)}%/%${escapeLike(after)}`)}`,
    );
    if (others.length > 0) conditions.push(sql<SqlBool>`${sql.ref('path')} not in (${sql.join(others)})`);
  }
  return sql<SqlBool>`(${sql.join(conditions, sql` and `)})`;
}

/** The operation the sandbox runs for a method and path, if any. */
function routeOf(method: string, path: string): string | null {
  return matchOperation(method, path).operation?.id ?? null;
}

/**
 * The scope's latest requests to an operation, newest first, among its latest
 * `REQUEST_LIMITS.window`. The `request_logs_list` index (account, mode, time, id) reads those
 * in order, and method and path are checked on them alone: an operation seldom called costs
 * the same as one called all the time, however long the scope's log. Measured on 100,000
 * logged requests: unbounded, an operation never called took 0.2 s to rule out; bounded,
 * under 10 ms on SQLite and PostgreSQL alike, so no further index is needed.
 */
export async function latestRequests(
  db: Kysely<Database>,
  scope: RequestScope,
  operation: OperationSpec,
  limit: number,
): Promise<OperationRequest[]> {
  const rows = await db
    .with('recent', (recent) =>
      recent
        .selectFrom('request_logs')
        .select(['id', 'status', 'created_ms', 'method', 'path'])
        .where('account_id', '=', scope.accountId)
        .where('mode', '=', scope.mode)
        .orderBy('created_ms', 'desc')
        .orderBy('id', 'desc')
        .limit(REQUEST_LIMITS.window),
    )
    .selectFrom('recent')
    .selectAll()
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
