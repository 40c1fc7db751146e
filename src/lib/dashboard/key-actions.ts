import type { Kysely } from 'kysely';
import type { Database, KeyMode } from '../db/schema.ts';
import { field } from '../http/forms.ts';
import {
  createRestrictedKey,
  deleteRestrictedKey,
  isRevealable,
  rollKey,
  ROLL_WINDOWS,
  type NewKey,
  type RollWindow,
} from '../keys/api-keys.ts';
import { isAccess, RESOURCES, type Permissions } from '../keys/permissions.ts';
import { maskKeyParts } from '../../isomorphic/key-mask.ts';

/** A roll that would stop a key at once, waiting for the reader to confirm which key that is. */
export interface RollConfirmation {
  keyId: string;
  /** The key that would stop working, masked as the table shows it. */
  masked: string;
}

/** The form field that confirms a roll with no grace window; its value is {@link CONFIRM_NOW}. */
export const CONFIRM_FIELD = 'confirm';
export const CONFIRM_NOW = 'now';

/** What a key form did, for the page to show. */
export type KeyActionResult =
  | { ok: true; message: string; newKey?: NewKey & { shownOnce: boolean } }
  | { ok: false; message: string; fieldErrors?: { name?: string; permissions?: string } }
  | { ok: false; message: string; confirmRoll: RollConfirmation };

export const MAX_KEY_NAME_LENGTH = 80;

/**
 * Carries out one form post from the API keys page: create a restricted key, roll a key,
 * or delete a restricted key. Every key id is checked against the reader's account and the
 * page's mode: the caller has checked the member may manage that mode's keys, so a key of
 * the other mode is refused here (a Developer's test-mode form cannot roll a live key).
 * A roll that stops the old key at once happens only with {@link CONFIRM_FIELD} set; without
 * it nothing changes and the result asks for confirmation, naming the key that would stop, so
 * the step works without scripts and a stray or forged post cannot cut a key off.
 */
export async function handleKeyAction(
  db: Kysely<Database>,
  accountId: string,
  mode: KeyMode,
  form: FormData,
): Promise<KeyActionResult> {
  const intent = field(form, 'intent');
  if (intent === 'create-restricted') return createRestricted(db, accountId, mode, form);
  const key =
    intent === 'roll' || intent === 'delete' ? await keyOf(db, accountId, mode, field(form, 'key_id')) : null;
  if ((intent === 'roll' || intent === 'delete') && !key) {
    return { ok: false, message: `That key no longer exists, or is not one of this account's ${mode} keys.` };
  }
  if (intent === 'roll' && key) {
    const window = field(form, 'expires');
    if (!(window in ROLL_WINDOWS))
      return { ok: false, message: 'Choose when the old key should stop working.' };
    if (window === 'now' && key.replaced_by === null && field(form, CONFIRM_FIELD) !== CONFIRM_NOW) {
      const masked = maskKeyParts(key.prefix, key.last_four);
      return {
        ok: false,
        message: `Roll now? ${masked} stops working at once: every request that uses it is refused.`,
        confirmRoll: { keyId: key.id, masked },
      };
    }
    const fresh = await rollKey(db, accountId, field(form, 'key_id'), window as RollWindow);
    if (!fresh) return { ok: false, message: 'That key no longer exists or was already rolled.' };
    return {
      ok: true,
      message: `Key rolled. ${OLD_KEY_AFTER_ROLL[window as RollWindow]}`,
      newKey: { ...fresh, shownOnce: !isRevealable(fresh.mode, fresh.kind) },
    };
  }
  if (intent === 'delete') {
    const deleted = await deleteRestrictedKey(db, accountId, field(form, 'key_id'));
    return deleted
      ? { ok: true, message: 'Restricted key deleted. It no longer works.' }
      : { ok: false, message: 'That key no longer exists.' };
  }
  return { ok: false, message: 'That action is not one this page knows.' };
}

async function createRestricted(
  db: Kysely<Database>,
  accountId: string,
  mode: KeyMode,
  form: FormData,
): Promise<KeyActionResult> {
  const name = field(form, 'name').trim();
  const fieldErrors: { name?: string; permissions?: string } = {};
  if (!name) fieldErrors.name = 'Give the key a name, such as the service that will use it.';
  else if (name.length > MAX_KEY_NAME_LENGTH)
    fieldErrors.name = `Use at most ${MAX_KEY_NAME_LENGTH} characters.`;
  const permissions = {} as Permissions;
  for (const resource of RESOURCES) {
    // A resource the form did not send is None: a page opened before the resource existed
    // has no row for it, and its reader gave it nothing.
    const access = form.has(`permission_${resource}`) ? field(form, `permission_${resource}`) : 'none';
    if (!isAccess(access)) fieldErrors.permissions = 'Choose None, Read or Write for each resource.';
    else permissions[resource] = access;
  }
  if (!fieldErrors.permissions && RESOURCES.every((resource) => permissions[resource] === 'none')) {
    fieldErrors.permissions = 'A key without any permission could do nothing: allow at least one resource.';
  }
  if (fieldErrors.name || fieldErrors.permissions) {
    return { ok: false, message: 'The key was not created. Check the form below.', fieldErrors };
  }
  const fresh = await createRestrictedKey(db, accountId, mode, name, permissions);
  return { ok: true, message: `Restricted key "${name}" created.`, newKey: { ...fresh, shownOnce: true } };
}

/** What happens to the old key after a roll, as the roll's confirmation says it. */
const OLD_KEY_AFTER_ROLL: Record<RollWindow, string> = {
  now: 'The old key has stopped working.',
  '1h': 'The old key works for 1 more hour.',
  '24h': 'The old key works for 24 more hours.',
  '7d': 'The old key works for 7 more days.',
};

/** The account's key of this mode with that id, or undefined. */
async function keyOf(db: Kysely<Database>, accountId: string, mode: KeyMode, keyId: string) {
  return db
    .selectFrom('api_keys')
    .select(['id', 'prefix', 'last_four', 'replaced_by'])
    .where('id', '=', keyId)
    .where('account_id', '=', accountId)
    .where('mode', '=', mode)
    .executeTakeFirst();
}
