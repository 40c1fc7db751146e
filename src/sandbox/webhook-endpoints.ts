import type { Selectable } from 'kysely';
import type { WebhookEndpointsTable } from '../lib/db/schema.ts';
import { checkWebhookTarget, WebhookTargetError } from '../lib/webhooks/address-policy.ts';
import { newEndpointSecret } from '../lib/webhooks/secrets.ts';
import type { WebhookEndpoint } from '../spec/objects.ts';
import { operationById, WEBHOOK_ENDPOINT_LIMIT } from '../spec/operations.ts';
import type { Schema } from '../spec/rules.ts';
import type { OperationContext, OperationResult } from './context.ts';
import { SandboxError } from './errors.ts';
import { checkExpand } from './expand.ts';
import { fieldChanges } from './field-changes.ts';
import { newWebhookEndpointId } from './ids.ts';
import { checkCursors, paginate } from './lists.ts';
import { messages } from './messages.ts';
import type { Metadata, Validated } from './validate.ts';

/**
 * `/v1/webhook_endpoints`: the URLs a reader's events are sent to. Rows hold the fields in
 * columns (the delivery worker reads them); the API object is built from them. The signing
 * secret is returned by the create alone.
 */

/** What the declared parameters cannot say, checked with them (see `Handler.refine`). */
export const webhookEndpointRefinements = {
  one: (params: Validated) => {
    checkExpand(params.expand as string[] | undefined, [], false);
    if (typeof params.url === 'string') webhookUrl(params.url);
    const events = params.enabled_events as string[] | undefined;
    if (events && events.includes('*') && new Set(events).size > 1)
      throw new SandboxError(400, messages.webhookAllEventsAlone, {
        code: 'parameter_invalid_string',
        param: 'enabled_events',
      });
    if (params.connect === 'true')
      throw new SandboxError(400, messages.webhookConnect, {
        code: 'parameter_invalid_string',
        param: 'connect',
      });
  },
  list: (params: Validated) => {
    checkExpand(params.expand as string[] | undefined, [], true);
    checkCursors(params);
  },
};

const urlError = (message: string) => new SandboxError(400, message, { code: 'url_invalid', param: 'url' });

/**
 * A webhook URL's shape: absolute, http or https, with no credentials (a delivery would send
 * them to whoever the host is, and they would sit in every log of it). The URL is kept as
 * sent, so one that the URL parser would quietly trim is refused instead.
 */
function webhookUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw urlError(messages.webhookUrlMalformed(raw));
  }
  if (raw.trim() !== raw || /[\s\u0000-\u001f]/.test(raw)) throw urlError(messages.webhookUrlMalformed(raw));
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw urlError(messages.webhookUrlScheme(raw));
  if (url.username || url.password) throw urlError(messages.webhookUrlCredentials);
  return url;
}

/**
 * Checks a URL against the mode and the site's address policy before it is saved: live mode
 * takes https only, and unless this Keyway serves only its own developer, a URL must not
 * reach loopback, private, link-local or metadata addresses, by IP or by a name resolving to one.
 * The delivery worker checks again when it connects; this refusal tells the reader at once.
 * Where every address is allowed there is nothing to refuse, so the name is not looked up: a
 * developer offline, or with a handler name their machine resolves only later, can still save it.
 */
async function checkTarget(ctx: OperationContext, raw: string): Promise<void> {
  const url = webhookUrl(raw);
  if (ctx.mode === 'live' && url.protocol !== 'https:') throw urlError(messages.webhookUrlLivemode(raw));
  if (ctx.webhookTargets.allowPrivate) return;
  try {
    await checkWebhookTarget(url, false, ctx.webhookTargets.lookup);
  } catch (error) {
    if (error instanceof WebhookTargetError) throw urlError(error.message);
    throw error;
  }
}

type Row = Selectable<WebhookEndpointsTable>;

/** The API object of a row, without its secret. */
function endpointObject(row: Row): WebhookEndpoint {
  return {
    id: row.id,
    object: 'webhook_endpoint',
    api_version: row.api_version,
    application: null,
    created: Number(row.created),
    description: row.description,
    enabled_events: JSON.parse(row.enabled_events) as WebhookEndpoint['enabled_events'],
    livemode: row.mode === 'live',
    metadata: JSON.parse(row.metadata) as Record<string, string>,
    status: row.status,
    url: row.url,
  };
}

/** Metadata after a create or update: the parameter's keys merged into the current ones. */
function mergedMetadata(params: Validated, current: Record<string, string>): Record<string, string> {
  if (params.metadata === undefined) return current;
  return fieldChanges(METADATA_ONLY, { metadata: params.metadata as Metadata }, current).metadata as Record<
    string,
    string
  >;
}
const METADATA_ONLY: Schema = { metadata: operationById('create-webhook-endpoint')!.params.metadata! };

/** The listed event types, each once, in the order given. */
const uniqueEvents = (events: string[]): string[] => [...new Set(events)];

async function load(ctx: OperationContext): Promise<Row> {
  const id = ctx.objectId ?? '';
  const row = await ctx.db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('id', '=', id)
    .where('account_id', '=', ctx.accountId)
    .where('mode', '=', ctx.mode)
    .executeTakeFirst();
  if (!row)
    throw new SandboxError(404, messages.noSuchObject('webhook endpoint', id), {
      code: 'resource_missing',
      param: 'id',
    });
  return row;
}

export async function createWebhookEndpoint(ctx: OperationContext): Promise<OperationResult> {
  const url = ctx.params.url as string;
  await checkTarget(ctx, url);
  const row: Row = {
    id: newWebhookEndpointId(),
    account_id: ctx.accountId,
    mode: ctx.mode,
    url,
    description: (ctx.params.description as string | null | undefined) ?? null,
    enabled_events: JSON.stringify(uniqueEvents(ctx.params.enabled_events as string[])),
    metadata: JSON.stringify(mergedMetadata(ctx.params, {})),
    status: 'enabled',
    api_version: (ctx.params.api_version as string | undefined) ?? null,
    secret: newEndpointSecret(),
    created: Math.floor(ctx.now / 1000),
    created_ms: ctx.now,
  };
  await ctx.db.transaction().execute(async (trx) => {
    // Creates of one account take turns, so two at once cannot both see 15 and make 17: the
    // no-op update locks the account's row (PostgreSQL) or takes the write lock (SQLite)
    // until the insert commits.
    await trx
      .updateTable('accounts')
      .set((eb) => ({ id: eb.ref('id') }))
      .where('id', '=', ctx.accountId)
      .execute();
    const { count } = await trx
      .selectFrom('webhook_endpoints')
      .select((eb) => eb.fn.countAll().as('count'))
      .where('account_id', '=', ctx.accountId)
      .where('mode', '=', ctx.mode)
      .executeTakeFirstOrThrow();
    if (Number(count) >= WEBHOOK_ENDPOINT_LIMIT)
      throw new SandboxError(400, messages.webhookEndpointLimit(WEBHOOK_ENDPOINT_LIMIT, ctx.mode), {
        code: 'webhook_endpoint_limit',
      });
    await trx.insertInto('webhook_endpoints').values(row).execute();
  });
  return { status: 200, body: { ...endpointObject(row), secret: row.secret } };
}

export async function retrieveWebhookEndpoint(ctx: OperationContext): Promise<OperationResult> {
  return { status: 200, body: endpointObject(await load(ctx)) };
}

export async function updateWebhookEndpoint(ctx: OperationContext): Promise<OperationResult> {
  const { params } = ctx;
  // Another account's id is not found before its URL is looked at; the look-up (DNS) is made
  // outside the transaction, so a slow name server holds no lock.
  await load(ctx);
  if (typeof params.url === 'string') await checkTarget(ctx, params.url);
  return ctx.db.transaction().execute(async (trx) => {
    const current = await load({ ...ctx, db: trx });
    const changes: Partial<Row> = {};
    if (typeof params.url === 'string') changes.url = params.url;
    if (params.description !== undefined) changes.description = params.description as string | null;
    if (params.enabled_events !== undefined)
      changes.enabled_events = JSON.stringify(uniqueEvents(params.enabled_events as string[]));
    if (params.metadata !== undefined)
      changes.metadata = JSON.stringify(
        mergedMetadata(params, JSON.parse(current.metadata) as Record<string, string>),
      );
    if (params.disabled !== undefined) changes.status = params.disabled === 'true' ? 'disabled' : 'enabled';
    if (Object.keys(changes).length > 0)
      await trx.updateTable('webhook_endpoints').set(changes).where('id', '=', current.id).execute();
    return { status: 200, body: endpointObject({ ...current, ...changes }) };
  });
}

/** Deleting an endpoint deletes the deliveries it was owed and their attempts (the keys cascade). */
export async function deleteWebhookEndpoint(ctx: OperationContext): Promise<OperationResult> {
  return ctx.db.transaction().execute(async (trx) => {
    const current = await load({ ...ctx, db: trx });
    await trx.deleteFrom('webhook_endpoints').where('id', '=', current.id).execute();
    return { status: 200, body: { id: current.id, object: 'webhook_endpoint', deleted: true } };
  });
}

export async function listWebhookEndpoints(ctx: OperationContext): Promise<OperationResult> {
  const query = ctx.db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('account_id', '=', ctx.accountId)
    .where('mode', '=', ctx.mode);
  const page = await paginate(query, ctx.params, {
    db: ctx.db,
    table: 'webhook_endpoints',
    accountId: ctx.accountId,
    mode: ctx.mode,
    kind: 'webhook endpoint',
    url: '/v1/webhook_endpoints',
  });
  return { status: 200, body: { ...page, data: page.data.map(endpointObject) } };
}
