import { LRUCache } from 'lru-cache';

/**
 * A map bounded by the bytes its values hold: past `maxBytes` the least recently used
 * entries go. Each value's size is the caller's to say (the bytes of its buffers, which is
 * what such caches hold), and may change while it is kept (`resize`). A value larger than the
 * whole bound is not kept at all, so one entry can never push out every other and still
 * exceed the bound. An optional `maxEntries` bounds the count as well.
 *
 * The caches of the server use this one interface; the bookkeeping is lru-cache's.
 */
export class ByteLru<K extends {}, V extends {}> {
  readonly #entries: LRUCache<K, V>;

  constructor(maxBytes: number, maxEntries = Infinity) {
    this.#entries = new LRUCache<K, V>({
      maxSize: maxBytes,
      maxEntrySize: maxBytes,
      ...(Number.isFinite(maxEntries) ? { max: maxEntries } : {}),
    });
  }

  /** Bytes of every value kept now, as their sizes were given. */
  get bytes(): number {
    return this.#entries.calculatedSize;
  }

  /** Entries kept now. */
  get size(): number {
    return this.#entries.size;
  }

  /** The value for `key`, marked most recently used; undefined when not kept. */
  get(key: K): V | undefined {
    return this.#entries.get(key);
  }

  /** Keeps `value` as most recently used, dropping others past the bound; false when it alone exceeds it. */
  set(key: K, value: V, bytes: number): boolean {
    if (bytes > this.#entries.maxEntrySize) {
      this.#entries.delete(key);
      return false;
    }
    // lru-cache counts a size of 0 as "not given": the smallest it takes is 1.
    this.#entries.set(key, value, { size: Math.max(1, bytes) });
    return true;
  }

  /** Records that the value kept for `key` now holds `bytes`, dropping it if it alone exceeds the bound. */
  resize(key: K, bytes: number): void {
    const value = this.#entries.peek(key);
    if (value !== undefined) this.set(key, value, bytes);
  }

  delete(key: K): void {
    this.#entries.delete(key);
  }
}
