import type { Kysely, Selectable } from 'kysely';
import type { Database, WebhookAttemptsTable, WebhookDeliveryState } from '../db/schema.ts';
import { PAGE_SIZE, type DashboardPage, type Scope } from './queries.ts';

/** An endpoint as the dashboard lists it: never its secret, which only Reveal reads. */
export interface EndpointRow {
  id: string;
  url: string;
  description: string | null;
  /** The event types it receives; `['*']` for all. */
  enabledEvents: string[];
  metadata: Record<string, string>;
  status: 'enabled' | 'disabled';
  apiVersion: string | null;
  mode: 'test' | 'live';
  createdMs: number;
}

/** One delivery with what the table shows about it. */
export interface DeliveryRow {
  id: string;
  endpointId: string;
  endpointUrl: string;
  eventId: string;
  /** Null when the event has since expired. */
  eventType: string | null;
  state: WebhookDeliveryState;
  attemptCount: number;
  nextAttemptAt: number | null;
  resendRequestedAt: number | null;
  /** The newest attempt's status and error, or null before the first attempt. */
  lastStatus: number | null;
  lastError: string | null;
  createdMs: number;
}

/** One attempt at a delivery, as the attempts list shows it: the row as stored. */
export type AttemptRow = Selectable<WebhookAttemptsTable>;

/** Attempts shown per delivery: a delivery is retried a few times, a resend loop could add many. */
export const ATTEMPTS_SHOWN = 20;

const ENDPOINT_COLUMNS = [
  'id',
  'url',
  'description',
  'enabled_events',
  'metadata',
  'status',
  'api_version',
  'mode',
  'created_ms',
] as const;

function endpointRow(row: {
  id: string;
  url: string;
  description: string | null;
  enabled_events: string;
  metadata: string;
  status: 'enabled' | 'disabled';
  api_version: string | null;
  mode: 'test' | 'live';
  created_ms: number;
}): EndpointRow {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    enabledEvents: parseJson<string[]>(row.enabled_events, []),
    metadata: parseJson<Record<string, string>>(row.metadata, {}),
    status: row.status,
    apiVersion: row.api_version,
    mode: row.mode,
    createdMs: row.created_ms,
  };
}

/** Stored JSON, or `fallback` when a row holds something else (never a reason to fail a page). */
function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** The account's endpoints in the scope's mode, newest first. */
export async function listEndpoints(
  db: Kysely<Database>,
  scope: Scope,
  page: number,
): Promise<DashboardPage<EndpointRow>> {
  const rows = await db
    .selectFrom('webhook_endpoints')
    .select(ENDPOINT_COLUMNS)
    .where('account_id', '=', scope.accountId)
    .where('mode', '=', scope.mode)
    .orderBy('created_ms', 'desc')
    .orderBy('id', 'desc')
    .limit(PAGE_SIZE + 1)
    .offset((page - 1) * PAGE_SIZE)
    .execute();
  return { rows: rows.slice(0, PAGE_SIZE).map(endpointRow), page, hasMore: rows.length > PAGE_SIZE };
}

/**
 * One of the account's endpoints, in either mode (the page says which, as an event's does);
 * undefined for another account's.
 */
export async function getEndpoint(
  db: Kysely<Database>,
  accountId: string,
  id: string,
): Promise<EndpointRow | undefined> {
  const row = await db
    .selectFrom('webhook_endpoints')
    .select(ENDPOINT_COLUMNS)
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row && endpointRow(row);
}

/** An endpoint's signing secret, for Reveal; undefined for another account's endpoint. */
export async function endpointSecret(
  db: Kysely<Database>,
  accountId: string,
  id: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('webhook_endpoints')
    .select('secret')
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row?.secret;
}

function deliveriesQuery(db: Kysely<Database>, accountId: string) {
  return db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
    .leftJoin('events as ev', 'ev.id', 'd.event_id')
    .select([
      'd.id',
      'd.endpoint_id',
      'e.url',
      'd.event_id',
      'ev.type',
      'd.state',
      'd.attempt_count',
      'd.next_attempt_at',
      'd.resend_requested_at',
      'd.created_ms',
    ])
    .where('d.account_id', '=', accountId);
}

type DeliveryBase = Awaited<ReturnType<ReturnType<typeof deliveriesQuery>['execute']>>[number];

/** Adds each delivery's newest attempt (status, error) in one query. */
async function withLastAttempts(db: Kysely<Database>, rows: DeliveryBase[]): Promise<DeliveryRow[]> {
  const ids = rows.map((row) => row.id);
  const attempts =
    ids.length === 0
      ? []
      : await db
          .selectFrom('webhook_attempts')
          .select(['delivery_id', 'attempt_number', 'status', 'error', 'created_ms'])
          .where('delivery_id', 'in', ids)
          .orderBy('created_ms', 'desc')
          .orderBy('attempt_number', 'desc')
          .execute();
  const newest = new Map<string, { status: number | null; error: string | null }>();
  for (const attempt of attempts)
    if (!newest.has(attempt.delivery_id)) newest.set(attempt.delivery_id, attempt);
  return rows.map((row) => ({
    id: row.id,
    endpointId: row.endpoint_id,
    endpointUrl: row.url,
    eventId: row.event_id,
    eventType: row.type,
    state: row.state,
    attemptCount: row.attempt_count,
    nextAttemptAt: row.next_attempt_at,
    resendRequestedAt: row.resend_requested_at,
    lastStatus: newest.get(row.id)?.status ?? null,
    lastError: newest.get(row.id)?.error ?? null,
    createdMs: row.created_ms,
  }));
}

/** One endpoint's deliveries, newest first. */
export async function listEndpointDeliveries(
  db: Kysely<Database>,
  accountId: string,
  endpointId: string,
  page: number,
): Promise<DashboardPage<DeliveryRow>> {
  const rows = await deliveriesQuery(db, accountId)
    .where('d.endpoint_id', '=', endpointId)
    .orderBy('d.created_ms', 'desc')
    .orderBy('d.id', 'desc')
    .limit(PAGE_SIZE + 1)
    .offset((page - 1) * PAGE_SIZE)
    .execute();
  return {
    rows: await withLastAttempts(db, rows.slice(0, PAGE_SIZE)),
    page,
    hasMore: rows.length > PAGE_SIZE,
  };
}

/** Every delivery of one event (one per endpoint it was owed to). */
export async function eventDeliveries(
  db: Kysely<Database>,
  accountId: string,
  eventId: string,
): Promise<DeliveryRow[]> {
  const rows = await deliveriesQuery(db, accountId)
    .where('d.event_id', '=', eventId)
    .orderBy('d.created_ms', 'asc')
    .orderBy('d.id', 'asc')
    .execute();
  return withLastAttempts(db, rows);
}

/** The attempts of these deliveries, oldest first, by delivery id (at most {@link ATTEMPTS_SHOWN} each, the newest). */
export async function attemptsOf(
  db: Kysely<Database>,
  deliveryIds: readonly string[],
): Promise<Map<string, AttemptRow[]>> {
  const byDelivery = new Map<string, AttemptRow[]>();
  if (deliveryIds.length === 0) return byDelivery;
  const rows = await db
    .selectFrom('webhook_attempts')
    .select([
      'id',
      'delivery_id',
      'attempt_number',
      'manual',
      'url',
      'status',
      'error',
      'duration_ms',
      'response_body',
      'created_ms',
    ])
    .where('delivery_id', 'in', deliveryIds)
    .orderBy('created_ms', 'desc')
    .orderBy('attempt_number', 'desc')
    .execute();
  for (const row of rows) {
    const list = byDelivery.get(row.delivery_id) ?? [];
    if (list.length < ATTEMPTS_SHOWN) list.push(row);
    byDelivery.set(row.delivery_id, list);
  }
  for (const list of byDelivery.values()) list.reverse();
  return byDelivery;
}
