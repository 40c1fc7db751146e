import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { Database, KeyMode } from '../lib/db/schema.ts';
import { messages } from './messages.ts';
import { SandboxError } from './errors.ts';
import type { Range, Validated } from './validate.ts';

/** A page of a list, in Stripe's shape. */
export interface ListPage<T> {
  object: 'list';
  url: string;
  has_more: boolean;
  data: T[];
}

/** The columns every listed table has. */
interface Listable {
  id: string;
  created: number;
  created_ms: number;
}

/** What is listed: the table (cursors are looked up there, in the same account and mode). */
export interface ListSource {
  db: Kysely<Database>;
  table: 'customers' | 'events' | 'webhook_endpoints';
  accountId: string;
  mode: KeyMode;
  /** `customer`, for "No such customer" when a cursor is unknown. */
  kind: string;
  url: string;
}

/** A list takes one cursor at most; run with validation (see `Route.refine`). */
export function checkCursors(params: Validated): void {
  if (params.starting_after && params.ending_before)
    throw new SandboxError(400, messages.bothCursors, { param: 'ending_before' });
}

/**
 * Newest-first pagination over `(created_ms, id)`, a total order even for objects made in
 * the same millisecond. `starting_after` gives the objects older than the cursor,
 * `ending_before` the ones newer (still returned newest first); the cursor must exist.
 * The route has refused both cursors at once already ({@link checkCursors}).
 */
export async function paginate<DB, TB extends keyof DB & string, O extends Listable>(
  query: SelectQueryBuilder<DB, TB, O>,
  params: Validated,
  source: ListSource,
): Promise<ListPage<O>> {
  const { kind, url } = source;
  const limit = (params.limit as number | undefined) ?? 10;
  const startingAfter = params.starting_after as string | null | undefined;
  const endingBefore = params.ending_before as string | null | undefined;
  let q = applyCreated(query, params.created as number | Range | undefined) as SelectQueryBuilder<
    any,
    any,
    O
  >;
  const cursorId = startingAfter ?? endingBefore;
  if (cursorId) {
    const cursor = await source.db
      .selectFrom(source.table)
      .select(['id', 'created_ms'])
      .where('id', '=', cursorId)
      .where('account_id', '=', source.accountId)
      .where('mode', '=', source.mode)
      .executeTakeFirst();
    const param = startingAfter ? 'starting_after' : 'ending_before';
    if (!cursor)
      throw new SandboxError(404, messages.noSuchObject(kind, cursorId), { code: 'resource_missing', param });
    q = past(q, startingAfter ? '<' : '>', cursor.created_ms, cursor.id);
  }
  const ascending = Boolean(endingBefore);
  const rows = await q
    .orderBy('created_ms', ascending ? 'asc' : 'desc')
    .orderBy('id', ascending ? 'asc' : 'desc')
    .limit(limit + 1)
    .execute();
  const has_more = rows.length > limit;
  const page = rows.slice(0, limit);
  return { object: 'list', url, has_more, data: ascending ? page.reverse() : page };
}

/**
 * Rows past a position in the `(created_ms, id)` order: older ones with `<`, newer with `>`.
 * Lists page from a cursor object, searches from where their last page ended.
 */
export function past<Q extends SelectQueryBuilder<any, any, any>>(
  query: Q,
  direction: '<' | '>',
  createdMs: number,
  id: string,
): Q {
  return query.where((eb: any) =>
    eb.or([
      eb('created_ms', direction, createdMs),
      eb.and([eb('created_ms', '=', createdMs), eb('id', direction, id)]),
    ]),
  ) as Q;
}

function applyCreated<Q extends SelectQueryBuilder<any, any, any>>(
  query: Q,
  created: number | Range | undefined,
): Q {
  if (created === undefined || created === null) return query;
  if (typeof created === 'number') return query.where('created', '=', created) as Q;
  let q = query;
  const operators = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;
  for (const [name, operator] of Object.entries(operators)) {
    const bound = created[name as keyof Range];
    if (bound !== undefined) q = q.where('created', operator, bound) as Q;
  }
  return q;
}
