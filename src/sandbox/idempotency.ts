import type { Kysely } from 'kysely';
import { sha256Hex } from '../lib/crypto.ts';
import { RETENTION } from '../lib/maintenance/retention.ts';
import type { Database, KeyMode } from '../lib/db/schema.ts';
import type { OperationResult } from './context.ts';
import { messages } from './messages.ts';
import { SandboxError } from './errors.ts';
import type { Decoded, DecodedValue } from './params.ts';

export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
/** A claim still running after this was left by a process that died; it is let go. */
const ABANDONED_CLAIM_MS = 60 * 1000;

/** The key a POST carries, checked; null without one (GET and DELETE ignore it). */
export function idempotencyKeyOf(request: Request): string | null {
  if (request.method !== 'POST') return null;
  const key = request.headers.get('idempotency-key');
  if (key === null || key === '') return null;
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH)
    throw new SandboxError(400, messages.idempotencyKeyTooLong, { param: 'Idempotency-Key' });
  return key;
}

/**
 * What a request is, for telling a retry from a different request under the same key. The
 * same parameters in another order are the same request: hash keys are sorted (lists keep
 * their order, which means something).
 */
export function fingerprint(method: string, path: string, params: Decoded): string {
  return sha256Hex(JSON.stringify([method, path, sortedKeys(params)]));
}

function sortedKeys(value: DecodedValue): DecodedValue {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(sortedKeys);
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortedKeys(value[key]!)]),
  );
}

interface Scope {
  accountId: string;
  mode: KeyMode;
  key: string;
}

/**
 * Claims a key for this request before it runs. Returns a saved result to replay, or null
 * when this request should run (the claim is then held in the database, so a second
 * process sees it). A reuse with other parameters is refused (400), and so is a reuse
 * while the first is still running (409).
 */
export async function claim(
  db: Kysely<Database>,
  scope: Scope,
  print: string,
  now: number,
): Promise<OperationResult | null> {
  const { accountId, mode, key } = scope;
  // A record past the window, or a claim abandoned by a crashed process, no longer counts.
  await db
    .deleteFrom('idempotency_records')
    .where('account_id', '=', accountId)
    .where('mode', '=', mode)
    .where('key', '=', key)
    .where((eb) =>
      eb.or([
        eb('created_ms', '<', now - RETENTION.idempotencyMs),
        eb.and([eb('status', 'is', null), eb('created_ms', '<', now - ABANDONED_CLAIM_MS)]),
      ]),
    )
    .execute();
  const inserted = await db
    .insertInto('idempotency_records')
    .values({
      account_id: accountId,
      mode,
      key,
      fingerprint: print,
      status: null,
      response: null,
      created_ms: now,
    })
    .onConflict((conflict) => conflict.columns(['account_id', 'mode', 'key']).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0) return null;
  const record = await db
    .selectFrom('idempotency_records')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('mode', '=', mode)
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
  if (record.fingerprint !== print) {
    throw new SandboxError(400, messages.idempotencyMismatch(key), { type: 'idempotency_error' });
  }
  if (record.status === null || record.response === null) {
    throw new SandboxError(409, messages.idempotencyInUse(key), { code: 'idempotency_key_in_use' });
  }
  return { status: record.status, body: JSON.parse(record.response) as unknown };
}

/** Saves what the request answered, to replay for its retries. */
export async function complete(db: Kysely<Database>, scope: Scope, result: OperationResult): Promise<void> {
  await db
    .updateTable('idempotency_records')
    .set({ status: result.status, response: JSON.stringify(result.body) })
    .where('account_id', '=', scope.accountId)
    .where('mode', '=', scope.mode)
    .where('key', '=', scope.key)
    .execute();
}
