import type { Kysely } from 'kysely';
import type { Database } from '../lib/db/schema.ts';
import { authenticateKey, type AuthenticatedKey } from '../lib/keys/api-keys.ts';
import { allows, permissionLabel, stripePermissionId, type Resource } from '../lib/keys/permissions.ts';
import { maskKey } from '../isomorphic/key-mask.ts';
import { messages } from './messages.ts';
import { SandboxError } from './errors.ts';
import { checkSampleKey } from '../lib/keys/sample-keys.ts';
import { startGuestOnFirstUse, type GuestGate } from './sample-key-auth.ts';
import { TracedRefusal } from './traced-refusal.ts';

/**
 * The key a request presents: `Authorization: Bearer <key>`, or HTTP Basic with the key as
 * the user name (what `curl -u key:` sends). Null when there is no Authorization header.
 */
export function presentedKey(request: Request, origin: string): string | null {
  const header = request.headers.get('authorization');
  if (!header) return null;
  const [scheme, value = ''] = header.trim().split(/\s+/, 2);
  if (/^bearer$/i.test(scheme ?? '')) return value || null;
  if (/^basic$/i.test(scheme ?? '')) {
    let decoded: string;
    try {
      decoded = Buffer.from(value, 'base64').toString('utf8');
    } catch {
      decoded = '';
    }
    const user = decoded.split(':')[0] ?? '';
    return user || null;
  }
  throw new SandboxError(401, messages.malformedAuthorization(origin));
}

/** The longest key we will look up; longer is certainly not ours (and not worth hashing). */
const MAX_KEY_LENGTH = 200;

/**
 * Authenticates a sandbox request by API key only: a session cookie never counts here.
 * A sample key's first use starts its guest sandbox (see startGuestOnFirstUse).
 * Refuses, with Stripe's statuses and messages: no key (401), an unknown key (401, masked),
 * a rolled-away key (401 api_key_expired), a publishable key (403 secret_key_required) and
 * a live key (403: the sandbox is test mode only). Refusals of a key this site knows are
 * TracedRefusals, so its reader hears of them. `sample` says the key is a sample key,
 * whose guest sandbox has no dashboard to link to; it is worked out when first read.
 */
export async function authenticate(
  db: Kysely<Database>,
  request: Request,
  origin: string,
  now: number,
  guests: GuestGate,
): Promise<{ key: AuthenticatedKey; presented: string; sample: boolean }> {
  const presented = presentedKey(request, origin);
  if (!presented) throw new SandboxError(401, messages.noKey(origin));
  if (presented.length > MAX_KEY_LENGTH)
    throw new SandboxError(401, messages.invalidKey(maskKey(presented.slice(0, 40)), origin));
  let result = await authenticateKey(db, presented, now);
  if (
    'rejected' in result &&
    result.rejected === 'unknown' &&
    (await startGuestOnFirstUse(db, guests, presented, maskKey(presented), origin, now))
  ) {
    result = await authenticateKey(db, presented, now);
  }
  if ('rejected' in result) {
    if (result.rejected === 'expired') {
      throw new TracedRefusal(
        { key: result.traced, maskedKey: maskKey(presented) },
        401,
        messages.expiredKey(maskKey(presented), origin),
        {
          code: 'api_key_expired',
        },
      );
    }
    throw new SandboxError(401, messages.invalidKey(maskKey(presented), origin));
  }
  const { key } = result;
  // A sample key's guest has no dashboard: its messages must not send the reader to one. Only
  // a refusal's message needs to know, so the check (an HMAC) is made when first asked.
  let sample: boolean | undefined;
  const isSample = () => (sample ??= checkSampleKey(guests.secret, presented).ok);
  if (key.kind === 'publishable') {
    const message = isSample() ? messages.samplePublishableKey(origin) : messages.publishableKey(origin);
    throw new TracedRefusal({ key, maskedKey: maskKey(presented) }, 403, message, {
      code: 'secret_key_required',
    });
  }
  if (key.mode === 'live')
    throw new TracedRefusal({ key, maskedKey: maskKey(presented) }, 403, messages.liveKey(origin));
  return {
    key,
    presented,
    get sample() {
      return isSample();
    },
  };
}

/** Refuses a restricted key that lacks the permission an operation needs. */
export function requirePermission(
  key: AuthenticatedKey,
  presented: string,
  resource: Resource,
  needed: 'read' | 'write',
): void {
  if (key.kind !== 'restricted') return;
  const granted = key.permissions?.[resource] ?? 'none';
  if (allows(granted, needed)) return;
  throw new SandboxError(
    403,
    messages.restrictedKey(
      maskKey(presented),
      key.accountId,
      permissionLabel(resource, needed),
      permissionLabel(resource, granted),
      stripePermissionId(resource, needed),
    ),
  );
}
