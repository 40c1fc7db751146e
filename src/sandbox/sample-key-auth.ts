import type { Kysely } from 'kysely';
import { describeWait } from '../lib/auth/throttle.ts';
import { sha256Hex } from '../lib/crypto.ts';
import type { Database } from '../lib/db/schema.ts';
import { activateGuest } from '../lib/guests/guest-sandbox.ts';
import { checkSampleKey, isStale } from '../lib/keys/sample-keys.ts';
import { SandboxError } from './errors.ts';
import { messages } from './messages.ts';
import { TracedRefusal } from './traced-refusal.ts';

/** What the sandbox needs to recognise sample keys and start guest sandboxes. */
export interface GuestGate {
  /** The secret sample keys are signed with (see src/lib/keys/sample-key-secret.ts). */
  secret: Buffer;
  /** The client's address: guest sandboxes are limited per address. */
  clientAddress: string;
}

/**
 * First use of a key the database does not know. A secret sample key this site issued in
 * the last day becomes its guest sandbox now (the per-address limit applies), and true
 * says the caller may look the key up again. Any other sample-shaped key is refused with
 * what happened and what to do next, never pointing at a dashboard an anonymous reader
 * does not have. False: not a sample key at all.
 */
export async function startGuestOnFirstUse(
  db: Kysely<Database>,
  gate: GuestGate,
  presented: string,
  masked: string,
  origin: string,
  now: number,
): Promise<boolean> {
  const check = checkSampleKey(gate.secret, presented);
  if (!check.ok) {
    if (check.reason === 'not-sample') return false;
    throw new SandboxError(401, messages.sampleKeyForged(masked, origin), { code: 'sample_key_invalid' });
  }
  const { key } = check;
  if (!key.pair) {
    throw new SandboxError(403, messages.samplePublishableKey(origin), { code: 'secret_key_required' });
  }
  // The reader this key was issued to may be waiting for its guest: they hear why it is not there.
  const trace = { guestKeyHash: sha256Hex(presented) };
  if (isStale(key.issuedAt, now)) {
    throw new TracedRefusal(trace, 401, messages.sampleKeyExpired(masked, origin), {
      code: 'sample_key_expired',
    });
  }
  const activation = await activateGuest(db, key.pair, gate.clientAddress, now);
  if (!activation.ok) {
    throw new TracedRefusal(trace, 429, messages.guestLimit(describeWait(activation.waitMs), origin), {
      code: 'guest_limit',
      headers: { 'retry-after': String(Math.ceil(activation.waitMs / 1000)) },
    });
  }
  return true;
}
