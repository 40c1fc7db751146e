import type { OperationContext, OperationResult } from '../context.ts';
import { recordEvent } from '../event-log.ts';
import { checkExpand } from '../expand.ts';
import { newCustomerId, newInvoicePrefix } from '../ids.ts';
import { checkCursors, paginate } from '../lists.ts';
import { messages } from '../messages.ts';
import { SandboxError } from '../errors.ts';
import {
  LIST_RULES,
  type Metadata,
  type Rule,
  type Schema,
  type Validated,
  type Value,
} from '../validate.ts';

/** Fields a customer can expand (always null in the sandbox, so expanding is a no-op). */
const EXPANDABLE = ['default_source', 'test_clock'];

const address: Rule = {
  kind: 'object',
  unsettable: true,
  fields: {
    city: { kind: 'string', max: 200, unsettable: true },
    country: { kind: 'string', max: 2, unsettable: true },
    line1: { kind: 'string', max: 200, unsettable: true },
    line2: { kind: 'string', max: 200, unsettable: true },
    postal_code: { kind: 'string', max: 50, unsettable: true },
    state: { kind: 'string', max: 200, unsettable: true },
  },
};

const writable: Schema = {
  address,
  balance: { kind: 'integer' },
  description: { kind: 'string', max: 350, unsettable: true },
  email: { kind: 'string', max: 512, unsettable: true },
  expand: { kind: 'list', max: 20 },
  invoice_prefix: { kind: 'string', pattern: [/^[A-Z0-9]{3,12}$/, messages.invalidPrefix] },
  metadata: { kind: 'metadata' },
  name: { kind: 'string', max: 256, unsettable: true },
  next_invoice_sequence: { kind: 'integer', min: 1 },
  phone: { kind: 'string', max: 20, unsettable: true },
  preferred_locales: { kind: 'list', max: 20, unsettable: true },
  shipping: {
    kind: 'object',
    unsettable: true,
    required: ['name'],
    fields: {
      address,
      name: { kind: 'string', max: 256 },
      phone: { kind: 'string', max: 20, unsettable: true },
    },
  },
  tax_exempt: { kind: 'string', oneOf: ['none', 'exempt', 'reverse'], unsettable: true },
};

export const customerSchemas = {
  create: writable,
  update: writable,
  retrieve: { expand: { kind: 'list', max: 20 } } satisfies Schema,
  delete: {} satisfies Schema,
  list: { ...LIST_RULES, email: { kind: 'string', max: 512 } } satisfies Schema,
};

/** What the schemas cannot say, checked with them (see `Route.refine`). */
export const customerRefinements = {
  one: (params: Validated) => checkExpand(params.expand as string[] | undefined, EXPANDABLE, false),
  list: (params: Validated) => {
    checkExpand(params.expand as string[] | undefined, EXPANDABLE, true);
    checkCursors(params);
  },
};

type Customer = Record<string, unknown> & { id: string; metadata: Record<string, string> };

const ADDRESS_FIELDS = ['city', 'country', 'line1', 'line2', 'postal_code', 'state'] as const;

/** An address hash as the API shows it: every field present, null when not given. */
function addressObject(value: Value | undefined): Record<string, string | null> | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const given = value as Record<string, string | null | undefined>;
  return Object.fromEntries(ADDRESS_FIELDS.map((field) => [field, given[field] ?? null]));
}

function shippingObject(value: Value | undefined): Record<string, unknown> | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const given = value as Record<string, Value>;
  return {
    address: addressObject(given.address) ?? addressObject({}),
    name: given.name ?? null,
    phone: given.phone ?? null,
  };
}

/** Applies a metadata parameter to existing metadata: null clears all, a null value one key. */
function mergeMetadata(
  current: Record<string, string>,
  change: Metadata | undefined,
): Record<string, string> {
  if (change === undefined) return current;
  if (change === null) return {};
  const next = { ...current };
  for (const [key, value] of Object.entries(change)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  if (Object.keys(next).length > 50) {
    throw new SandboxError(400, messages.metadataTooManyKeys(Object.keys(next).length), {
      code: 'parameter_invalid_string',
      param: 'metadata',
    });
  }
  return next;
}

/** The values a customer field takes from a parameter; undefined leaves it as it is. */
function fieldValues(params: Record<string, Value>, current: Customer | null): Partial<Customer> {
  const out: Partial<Customer> = {};
  for (const name of ['description', 'email', 'name', 'phone'] as const) {
    if (params[name] !== undefined) out[name] = params[name];
  }
  if (params.address !== undefined) out.address = addressObject(params.address);
  if (params.shipping !== undefined) out.shipping = shippingObject(params.shipping);
  if (params.balance !== undefined) out.balance = params.balance;
  if (params.invoice_prefix !== undefined) out.invoice_prefix = params.invoice_prefix;
  if (params.next_invoice_sequence !== undefined) out.next_invoice_sequence = params.next_invoice_sequence;
  if (params.preferred_locales !== undefined) out.preferred_locales = params.preferred_locales ?? [];
  if (params.tax_exempt !== undefined) out.tax_exempt = params.tax_exempt ?? 'none';
  if (params.metadata !== undefined)
    out.metadata = mergeMetadata(current?.metadata ?? {}, params.metadata as Metadata);
  return out;
}

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

export async function createCustomer(ctx: OperationContext): Promise<OperationResult> {
  const created = Math.floor(ctx.now / 1000);
  const customer: Customer = {
    id: newCustomerId(),
    object: 'customer',
    address: null,
    balance: 0,
    created,
    currency: null,
    default_source: null,
    delinquent: false,
    description: null,
    discount: null,
    email: null,
    invoice_prefix: newInvoicePrefix(),
    invoice_settings: {
      custom_fields: null,
      default_payment_method: null,
      footer: null,
      rendering_options: null,
    },
    livemode: false,
    metadata: {},
    name: null,
    next_invoice_sequence: 1,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: 'none',
    test_clock: null,
    ...fieldValues(ctx.params, null),
  };
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('customers')
      .values({
        id: customer.id,
        account_id: ctx.accountId,
        mode: ctx.mode,
        email: (customer.email as string | null) ?? null,
        created,
        created_ms: ctx.now,
        deleted_at: null,
        object: JSON.stringify(customer),
      })
      .execute();
    await recordEvent(trx, ctx, 'customer.created', customer);
  });
  return { status: 200, body: customer };
}

export async function retrieveCustomer(ctx: OperationContext): Promise<OperationResult> {
  return { status: 200, body: await load(ctx, ctx.objectId) };
}

export async function updateCustomer(ctx: OperationContext): Promise<OperationResult> {
  return ctx.db.transaction().execute(async (trx) => {
    const current = await load({ ...ctx, db: trx }, ctx.objectId);
    const changes = fieldValues(ctx.params, current);
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
  return ctx.db.transaction().execute(async (trx) => {
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
