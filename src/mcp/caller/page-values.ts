import type { Kysely } from 'kysely';
import type { Database } from '../../lib/db/schema.ts';
import { placeholderValues } from '../../lib/markdown/llms.ts';
import { accountObjectIds } from '../../lib/page-template/object-ids.ts';
import type { SlotValues } from '../../lib/page-template/standins.ts';
import { listenSigningSecret } from '../../lib/webhooks/secrets.ts';
import type { Caller } from './caller.ts';

/** The account's current test publishable key, as a signed-in page shows it; null if it has none. */
async function currentPublishableKey(db: Kysely<Database>, accountId: string): Promise<string | null> {
  const row = await db
    .selectFrom('api_keys')
    .select('plaintext')
    .where('account_id', '=', accountId)
    .where('mode', '=', 'test')
    .where('kind', '=', 'publishable')
    .where('replaced_by', 'is', null)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.plaintext ?? null;
}

/**
 * The values that fill a page's Markdown for an MCP caller.
 * - No key: the placeholders of `/llms-full.txt`, so no key-shaped string at all.
 * - A restricted key: the same placeholders. Its permissions may not cover what the page's
 *   samples do, and it must never lead to the account's secret key, which would be every
 *   permission at once.
 * - A test secret key (an account's, or a guest's sample key): that very key, never the
 *   account's current one. A rolled key still in its grace window may be the leaked one the
 *   roll was for, and must not lead to its replacement. The publishable key is the account's
 *   current one (public by design), and samples name the account's latest objects, as on
 *   the page. Only pages whose samples name objects ask for them. The `keyway listen`
 *   signing secret is the one derived from that very key (`siteSecret` is the site's own),
 *   as the page shows it, so a webhook handler sample checks what the CLI will sign.
 */
export async function callerPageValues(
  db: Kysely<Database>,
  caller: Caller | null,
  origin: URL,
  needsObjectIds: boolean,
  siteSecret: Buffer,
): Promise<SlotValues> {
  const placeholders = placeholderValues(origin);
  if (!caller || caller.key.kind !== 'secret') return placeholders;
  const { accountId } = caller.key;
  return {
    ...placeholders,
    secretKey: caller.presented,
    webhookSecret: listenSigningSecret(siteSecret, caller.presented),
    publishableKey: (await currentPublishableKey(db, accountId)) ?? placeholders.publishableKey,
    ...(needsObjectIds ? await accountObjectIds(db, accountId) : {}),
  };
}
