import type { Kysely, SelectQueryBuilder } from 'kysely';
import { escapeLike, like } from '../db/like.ts';
import type { Database, KeyMode, RequestLogsTable } from '../db/schema.ts';

/** Rows per dashboard page. */
export const PAGE_SIZE = 25;

/** A page of rows, newest first, and whether older ones exist. */
export interface DashboardPage<T> {
  rows: T[];
  page: number;
  hasMore: boolean;
}

/** Whose data a dashboard page shows: one account, one mode. */
export interface Scope {
  accountId: string;
  mode: KeyMode;
}

export interface LogFilters {
  /** `succeeded` (2xx) or `failed` (4xx and 5xx). */
  status?: 'succeeded' | 'failed';
  method?: 'GET' | 'POST' | 'DELETE';
  /** A part of the path, e.g. `customers`. */
  path?: string;
}

export type LogRow = Omit<RequestLogsTable, 'query' | 'body' | 'response'>;

/** One page of a list, newest first by `(created_ms, id)`; one extra row says whether more follow. */
async function newestFirstPage<O>(
  query: SelectQueryBuilder<any, any, O>,
  page: number,
): Promise<DashboardPage<O>> {
  const rows = await query
    .orderBy('created_ms', 'desc')
    .orderBy('id', 'desc')
    .limit(PAGE_SIZE + 1)
    .offset((page - 1) * PAGE_SIZE)
    .execute();
  return { rows: rows.slice(0, PAGE_SIZE), page, hasMore: rows.length > PAGE_SIZE };
}

/** Request log entries, newest first, filtered as the logs page asks. */
export async function listLogs(db: Kysely<Database>, scope: Scope, filters: LogFilters, page: number) {
  let query = db
    .selectFrom('request_logs')
    .select([
      'id',
      'account_id',
      'mode',
      'key_id',
      'masked_key',
      'source',
      'method',
      'path',
      'status',
      'duration_ms',
      'idempotency_key',
      'user_agent',
      'created_ms',
    ])
    .where('account_id', '=', scope.accountId)
    .where('mode', '=', scope.mode);
  if (filters.status === 'succeeded') query = query.where('status', '<', 400);
  if (filters.status === 'failed') query = query.where('status', '>=', 400);
  if (filters.method) query = query.where('method', '=', filters.method);
  if (filters.path) query = query.where(like('path', `%${escapeLike(filters.path)}%`));
  return newestFirstPage(query, page);
}

/** One log entry with its request and response, if it is the scope's. */
export function getLog(db: Kysely<Database>, scope: Scope, id: string) {
  return db
    .selectFrom('request_logs')
    .selectAll()
    .where('id', '=', id)
    .where('account_id', '=', scope.accountId)
    .executeTakeFirst();
}

export interface EventRow {
  id: string;
  type: string;
  object_id: string;
  request_id: string | null;
  created_ms: number;
}

/** Events, newest first; `type` may end in `*` (`customer.*`). */
export async function listEvents(db: Kysely<Database>, scope: Scope, type: string | undefined, page: number) {
  let query = db
    .selectFrom('events')
    .select(['id', 'type', 'object_id', 'request_id', 'created_ms'])
    .where('account_id', '=', scope.accountId)
    .where('mode', '=', scope.mode);
  if (type) {
    query = type.endsWith('*')
      ? query.where(like('type', `${escapeLike(type.slice(0, -1))}%`))
      : query.where('type', '=', type);
  }
  return newestFirstPage(query, page);
}

/** One event, and the events list of the object it is about. */
export function getEvent(db: Kysely<Database>, scope: Scope, id: string) {
  return db
    .selectFrom('events')
    .selectAll()
    .where('id', '=', id)
    .where('account_id', '=', scope.accountId)
    .executeTakeFirst();
}

/** Events about one object, or caused by one request, newest first. */
export function eventsFor(
  db: Kysely<Database>,
  scope: Scope,
  by: { objectId: string } | { requestId: string },
) {
  let query = db
    .selectFrom('events')
    .select(['id', 'type', 'object_id', 'request_id', 'created_ms'])
    .where('account_id', '=', scope.accountId);
  query =
    'objectId' in by
      ? query.where('object_id', '=', by.objectId)
      : query.where('request_id', '=', by.requestId);
  return query.orderBy('created_ms', 'desc').orderBy('id', 'desc').limit(100).execute();
}

export interface CustomerRow {
  id: string;
  email: string | null;
  name: string | null;
  created_ms: number;
}

/** Customers that exist (not deleted), newest first; `email` matches a part of the address. */
export async function listCustomers(
  db: Kysely<Database>,
  scope: Scope,
  email: string | undefined,
  page: number,
) {
  let query = db
    .selectFrom('customers')
    .select(['id', 'email', 'object', 'created_ms'])
    .where('account_id', '=', scope.accountId)
    .where('mode', '=', scope.mode)
    .where('deleted_at', 'is', null);
  if (email) query = query.where(like('email', `%${escapeLike(email)}%`));
  const result = await newestFirstPage(query, page);
  const customers: CustomerRow[] = result.rows.map((row) => ({
    id: row.id,
    email: row.email,
    name: (JSON.parse(row.object) as { name: string | null }).name,
    created_ms: row.created_ms,
  }));
  return { ...result, rows: customers };
}

/** One customer (deleted ones too, marked), if it is the scope's. */
export function getCustomer(db: Kysely<Database>, scope: Scope, id: string) {
  return db
    .selectFrom('customers')
    .selectAll()
    .where('id', '=', id)
    .where('account_id', '=', scope.accountId)
    .executeTakeFirst();
}

/** A page number from the query string: 1 unless a sensible positive integer. */
export function pageNumber(value: string | null): number {
  const page = Number(value);
  return Number.isInteger(page) && page >= 1 && page <= 10_000 ? page : 1;
}
