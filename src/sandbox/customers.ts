import type { OperationContext, OperationResult } from './context.ts';
import type { Kysely } from 'kysely';
import { inTransaction } from '../lib/db/group-commit.ts';
import { preparedStatement } from '../lib/db/prepared-statement.ts';
import type { Database } from '../lib/db/schema.ts';
import { recordEvent } from './event-log.ts';
import { checkExpand } from './expand.ts';
import { newCustomerId, newInvoicePrefix } from './ids.ts';
import { checkCursors, paginate, past } from './lists.ts';
import { messages } from './messages.ts';
import { SandboxError } from './errors.ts';
import { customer as customerObject } from '../spec/objects.ts';
import { CUSTOMER_EXPANDABLE } from '../spec/resources.ts';
import { operationById } from '../spec/operations.ts';
import { fieldChanges } from './field-changes.ts';
import type { Validated } from './validate.ts';
import { CUSTOMER_SEARCH_FIELDS } from '../spec/search.ts';
import { matchesSearch } from './search-match.ts';
import { pageToken, readPageToken, type SearchPosition } from './search-page.ts';
import { parseSearchQuery, type SearchQuery } from './search-query.ts';

/** What the declared parameters cannot say, checked with them (see `Handler.refine`). */
export const customerRefinements = {
  one: (params: Validated) => checkExpand(params.expand as string[] | undefined, CUSTOMER_EXPANDABLE, false),
  list: (params: Validated) => {
    checkExpand(params.expand as string[] | undefined, CUSTOMER_EXPANDABLE, true);
    checkCursors(params);
  },
  search: (params: Validated) => {
    checkExpand(params.expand as string[] | undefined, CUSTOMER_EXPANDABLE, true);
    parseCustomerSearch(params.query as string);
  },
};

function parseCustomerSearch(query: string): SearchQuery {
  return parseSearchQuery(query, CUSTOMER_SEARCH_FIELDS, 'customers');
}

type Customer = Record<string, unknown> & { id: string; metadata: Record<string, string> };

/** What customer create and update take, as declared: both take the same fields. */
const CUSTOMER_PARAMS = operationById('create-customer')!.params;

async function load(ctx: OperationContext, id: string | undefined): Promise<Customer> {
  const row = id
    ? await ctx.db
        .selectFrom('customers')
        .select(['object'])
        .where('id', '=', id)
        .where('account_id', '=', ctx.accountId)
        .where('mode', '=', ctx.mode)
        .where('deleted_at', 'is', null)
        .executeTakeFirst()
    : undefined;
  if (!row)
    throw new SandboxError(404, messages.noSuchObject('customer', id ?? ''), {
      code: 'resource_missing',
      param: 'id',
    });
  return JSON.parse(row.object) as Customer;
}

/** The sandbox's most frequent write, compiled once. */
const insertCustomer = preparedStatement(
  ['id', 'accountId', 'mode', 'email', 'created', 'createdMs', 'object'],
  (db: Kysely<Database>, values) =>
    db.insertInto('customers').values({
      id: values.id,
      account_id: values.accountId,
      mode: values.mode,
      email: values.email,
      created: values.created,
      created_ms: values.createdMs,
      deleted_at: null,
      object: values.object,
    }),
);

export async function createCustomer(ctx: OperationContext): Promise<OperationResult> {
  const created = Math.floor(ctx.now / 1000);
  // The declared object fills in every field the request did not set with its default,
  // and refuses to make a customer that does not match its declaration.
  const customer: Customer = customerObject.parse({
    id: newCustomerId(),
    object: 'customer',
    created,
    invoice_prefix: newInvoicePrefix(),
    ...fieldChanges(CUSTOMER_PARAMS, ctx.params, {}),
  });
  await inTransaction(ctx.db, async (trx) => {
    await insertCustomer(trx, {
      id: customer.id,
      accountId: ctx.accountId,
      mode: ctx.mode,
      email: (customer.email as string | null) ?? null,
      created,
      createdMs: ctx.now,
      object: JSON.stringify(customer),
    });
    await recordEvent(trx, ctx, 'customer.created', customer);
  });
  return { status: 200, body: customer };
}

export async function retrieveCustomer(ctx: OperationContext): Promise<OperationResult> {
  return { status: 200, body: await load(ctx, ctx.objectId) };
}

export async function updateCustomer(ctx: OperationContext): Promise<OperationResult> {
  return inTransaction(ctx.db, async (trx) => {
    const current = await load({ ...ctx, db: trx }, ctx.objectId);
    const changes = fieldChanges(CUSTOMER_PARAMS, ctx.params, current.metadata) as Partial<Customer>;
    const previous: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(changes)) {
      if (JSON.stringify(current[field]) === JSON.stringify(value)) continue;
      previous[field] =
        field === 'metadata'
          ? changedMetadata(current.metadata, value as Record<string, string>)
          : current[field];
    }
    const updated: Customer = { ...current, ...changes };
    await trx
      .updateTable('customers')
      .set({ object: JSON.stringify(updated), email: (updated.email as string | null) ?? null })
      .where('id', '=', current.id)
      .execute();
    if (Object.keys(previous).length > 0) await recordEvent(trx, ctx, 'customer.updated', updated, previous);
    return { status: 200, body: updated };
  });
}

/** Stripe's previous_attributes for metadata: the old value of each key that changed (null if new). */
function changedMetadata(
  before: Record<string, string>,
  after: Record<string, string>,
): Record<string, string | null> {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const out: Record<string, string | null> = {};
  for (const key of keys) if (before[key] !== after[key]) out[key] = before[key] ?? null;
  return out;
}

export async function deleteCustomer(ctx: OperationContext): Promise<OperationResult> {
  return inTransaction(ctx.db, async (trx) => {
    const current = await load({ ...ctx, db: trx }, ctx.objectId);
    await trx.updateTable('customers').set({ deleted_at: ctx.now }).where('id', '=', current.id).execute();
    await recordEvent(trx, ctx, 'customer.deleted', current);
    return { status: 200, body: { id: current.id, object: 'customer', deleted: true } };
  });
}

export async function listCustomers(ctx: OperationContext): Promise<OperationResult> {
  let query = ctx.db
    .selectFrom('customers')
    .select(['id', 'created', 'created_ms', 'object'])
    .where('account_id', '=', ctx.accountId)
    .where('mode', '=', ctx.mode)
    .where('deleted_at', 'is', null);
  if (typeof ctx.params.email === 'string') query = query.where('email', '=', ctx.params.email);
  const page = await paginate(query, ctx.params, {
    db: ctx.db,
    table: 'customers',
    accountId: ctx.accountId,
    mode: ctx.mode,
    kind: 'customer',
    url: '/v1/customers',
  });
  return { status: 200, body: { ...page, data: page.data.map((row) => JSON.parse(row.object) as Customer) } };
}

/** How many customers a search reads from the database at a time while it looks for matches. */
const SEARCH_BATCH = 500;

/**
 * `GET /v1/customers/search`: the account's customers in this mode, newest first, that
 * match the query. The database narrows to the account, the mode and the live customers
 * and keeps the order; the query is matched here, against each customer as the API
 * returns it, so both databases give the same answer (see `search-match.ts`). Reading
 * stops once one match more than the page holds is found.
 */
export async function searchCustomers(ctx: OperationContext): Promise<OperationResult> {
  const query = ctx.params.query as string;
  const parsed = parseCustomerSearch(query);
  const limit = (ctx.params.limit as number | undefined) ?? 10;
  const scope = { accountId: ctx.accountId, mode: ctx.mode, query };
  let position: SearchPosition | undefined =
    typeof ctx.params.page === 'string' ? readPageToken(ctx.params.page, scope) : undefined;
  const found: Array<{ customer: Customer; position: SearchPosition }> = [];
  while (found.length <= limit) {
    let batch = ctx.db
      .selectFrom('customers')
      .select(['id', 'created_ms', 'object'])
      .where('account_id', '=', ctx.accountId)
      .where('mode', '=', ctx.mode)
      .where('deleted_at', 'is', null);
    if (position) batch = past(batch, '<', position.createdMs, position.id);
    const rows = await batch
      .orderBy('created_ms', 'desc')
      .orderBy('id', 'desc')
      .limit(SEARCH_BATCH)
      .execute();
    for (const row of rows) {
      const customer = JSON.parse(row.object) as Customer;
      if (matchesSearch(customer, parsed))
        found.push({ customer, position: { createdMs: row.created_ms, id: row.id } });
      if (found.length > limit) break;
    }
    if (rows.length < SEARCH_BATCH) break;
    const last = rows.at(-1)!;
    position = { createdMs: last.created_ms, id: last.id };
  }
  const page = found.slice(0, limit);
  const hasMore = found.length > limit;
  return {
    status: 200,
    body: {
      object: 'search_result',
      url: '/v1/customers/search',
      has_more: hasMore,
      data: page.map((match) => match.customer),
      next_page: hasMore ? pageToken(page.at(-1)!.position, scope) : null,
    },
  };
}
