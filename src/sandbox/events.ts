import { escapeLike, like } from '../lib/db/like.ts';
import type { OperationContext, OperationResult } from './context.ts';
import type { SandboxEvent } from './event-log.ts';
import { checkExpand } from './expand.ts';
import { checkCursors, paginate } from './lists.ts';
import { messages } from './messages.ts';
import { SandboxError } from './errors.ts';
import type { Validated } from './validate.ts';

/** What the declared parameters cannot say, checked with them (see `Handler.refine`). */
export const eventRefinements = {
  retrieve: (params: Validated) => checkExpand(params.expand as string[] | undefined, [], false),
  list: (params: Validated) => {
    checkExpand(params.expand as string[] | undefined, [], true);
    checkCursors(params);
    if (params.type !== undefined && params.types !== undefined)
      throw new SandboxError(400, messages.typeAndTypes, { param: 'types' });
  },
};

export async function retrieveEvent(ctx: OperationContext): Promise<OperationResult> {
  const row = await ctx.db
    .selectFrom('events')
    .select('event')
    .where('id', '=', ctx.objectId ?? '')
    .where('account_id', '=', ctx.accountId)
    .where('mode', '=', ctx.mode)
    .executeTakeFirst();
  if (!row) {
    throw new SandboxError(404, messages.noSuchObject('event', ctx.objectId ?? ''), {
      code: 'resource_missing',
      param: 'id',
    });
  }
  return { status: 200, body: JSON.parse(row.event) as SandboxEvent };
}

/** `type` may hold `*` wildcards (`customer.*`); `types` is a list of exact types. */
export async function listEvents(ctx: OperationContext): Promise<OperationResult> {
  const { type, types } = ctx.params as { type?: string; types?: string[] };
  let query = ctx.db
    .selectFrom('events')
    .select(['id', 'created', 'created_ms', 'event'])
    .where('account_id', '=', ctx.accountId)
    .where('mode', '=', ctx.mode);
  if (type) {
    query = type.includes('*')
      ? query.where(like('type', escapeLike(type).replaceAll('*', '%')))
      : query.where('type', '=', type);
  }
  if (types) query = query.where('type', 'in', types);
  // Delivered: every delivery the event owes has succeeded (an event owed to no endpoint is).
  if (ctx.params.delivery_success) {
    const wanted = ctx.params.delivery_success === 'true';
    query = query.where((eb) => {
      const undelivered = eb.exists(
        eb
          .selectFrom('webhook_deliveries')
          .select('webhook_deliveries.id')
          .whereRef('webhook_deliveries.event_id', '=', 'events.id')
          .where('webhook_deliveries.state', '!=', 'succeeded'),
      );
      return wanted ? eb.not(undelivered) : undelivered;
    });
  }
  const page = await paginate(query, ctx.params, {
    db: ctx.db,
    table: 'events',
    accountId: ctx.accountId,
    mode: ctx.mode,
    kind: 'event',
    url: '/v1/events',
  });
  return {
    status: 200,
    body: { ...page, data: page.data.map((row) => JSON.parse(row.event) as SandboxEvent) },
  };
}
