import type { KeyKind } from '../db/schema.ts';
import type { ListedKey } from './api-keys.ts';

/** Secret first, then publishable, then restricted: the order every keys table uses. */
const KIND_ORDER: Record<KeyKind, number> = { secret: 0, publishable: 1, restricted: 2 };

/** A key in display order, with its place in a roll: the new key, or an old one winding down. */
export interface OrderedKey extends ListedKey {
  /** The working key of a roll whose old key still works: the page marks it "New". */
  isSuccessor: boolean;
  /** A rolled key still in its grace window, listed under the key that replaced it. */
  isRolled: boolean;
}

/**
 * The working key a key's rolls led to (itself when it was never rolled). A key rolled twice
 * can point at a middle key that has already stopped and is no longer listed; it then belongs
 * to the working key of the same kind and name, which is what a roll carries over.
 */
function successorOf(key: ListedKey, keys: readonly ListedKey[], byId: Map<string, ListedKey>): ListedKey {
  let current = key;
  const seen = new Set<string>();
  while (current.replacedBy && byId.has(current.replacedBy) && !seen.has(current.id)) {
    seen.add(current.id);
    current = byId.get(current.replacedBy)!;
  }
  if (current.replacedBy === null) return current;
  const working = keys.find(
    (other) => other.replacedBy === null && other.kind === current.kind && other.name === current.name,
  );
  return working ?? current;
}

/**
 * Puts keys in one order wherever they are listed: by kind (secret, publishable, restricted),
 * then oldest first, and every rolled key straight under the key that replaced it, newest
 * first, so a reader sees which new key to use and which old one is about to stop.
 */
export function orderKeys(keys: readonly ListedKey[]): OrderedKey[] {
  const byId = new Map(keys.map((key) => [key.id, key]));
  const groups = new Map<string, ListedKey[]>();
  for (const key of keys) {
    const head = successorOf(key, keys, byId);
    groups.set(head.id, [...(groups.get(head.id) ?? []), key]);
  }
  const heads = [...groups.keys()].map((id) => byId.get(id)!);
  heads.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.createdAt - b.createdAt);
  return heads.flatMap((head) => {
    const rolled = groups
      .get(head.id)!
      .filter((key) => key.id !== head.id)
      .sort((a, b) => b.createdAt - a.createdAt);
    return [
      { ...head, isSuccessor: rolled.length > 0, isRolled: false },
      ...rolled.map((key) => ({ ...key, isSuccessor: false, isRolled: true })),
    ];
  });
}
