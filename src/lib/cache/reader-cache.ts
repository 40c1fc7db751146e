import { LRUCache } from 'lru-cache';
import { loadConfig } from '../config/config.ts';

/**
 * What readers were found to be, kept between their page views: a session's rows (see
 * src/lib/auth/session.ts) and a sample key's verified check (src/lib/keys/sample-keys.ts).
 * One cache for both, bounded by READER_CACHE_BYTES, least recently used out first; each
 * user of it says in its entries when they stop being true.
 *
 * Kept on globalThis: the server's modules and Astro's bundled copy of them are two copies,
 * and should share one cache and one bound.
 */
const SLOT = Symbol.for('keyway.reader-cache');
type Holder = { [SLOT]?: LRUCache<string, object> | null };

/** The process's reader cache, or null when READER_CACHE_BYTES is 0. */
export function readerCache(): LRUCache<string, object> | null {
  const holder = globalThis as Holder;
  if (holder[SLOT] === undefined) holder[SLOT] = newReaderCache(loadConfig().readerCacheBytes);
  return holder[SLOT];
}

/** A cache of at most `maxBytes` (by approximateBytes), or null for 0. */
export function newReaderCache(maxBytes: number): LRUCache<string, object> | null {
  if (maxBytes === 0) return null;
  return new LRUCache<string, object>({
    maxSize: maxBytes,
    // Entries are small (about a kilobyte); one that could not fit is not kept at all.
    maxEntrySize: maxBytes,
    sizeCalculation: (value, key) => approximateBytes(key) + approximateBytes(value),
  });
}

/**
 * Replaces the process's cache (tests: a given bound, or none); undefined goes back to one
 * made from READER_CACHE_BYTES on next use.
 */
export function setReaderCache(cache: LRUCache<string, object> | null | undefined): void {
  (globalThis as Holder)[SLOT] = cache;
}

/**
 * Roughly what a value of plain data takes in V8's heap: two bytes a character (strings may
 * be stored wider than their text), eight a number, and a fixed cost for each object and
 * field. Objects shared with something else (a Buffer, a class instance) count as a pointer:
 * they are not this entry's to pay for.
 */
export function approximateBytes(value: unknown): number {
  if (typeof value === 'string') return 16 + value.length * 2;
  if (value === null || typeof value !== 'object') return 8;
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + approximateBytes(item), 16);
  if (Object.getPrototypeOf(value) !== Object.prototype) return 8;
  let sum = 24;
  for (const [field, item] of Object.entries(value))
    sum += 8 + approximateBytes(field) + approximateBytes(item);
  return sum;
}
