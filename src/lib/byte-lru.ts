/**
 * A map bounded by the bytes its values hold: past `maxBytes` the least recently used
 * entries go. Each value's size is the caller's to say (the bytes of its buffers, which is
 * what such caches hold), and may change while it is kept (`resize`). A value larger than the
 * whole bound is not kept at all, so one entry can never push out every other and still
 * exceed the bound. An optional `maxEntries` bounds the count as well.
 */
export class ByteLru<K, V> {
  readonly #entries = new Map<K, { value: V; bytes: number }>();
  readonly #maxBytes: number;
  readonly #maxEntries: number;
  #bytes = 0;

  constructor(maxBytes: number, maxEntries = Infinity) {
    this.#maxBytes = maxBytes;
    this.#maxEntries = maxEntries;
  }

  /** Bytes of every value kept now, as their sizes were given. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Entries kept now. */
  get size(): number {
    return this.#entries.size;
  }

  /** The value for `key`, marked most recently used; undefined when not kept. */
  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    // A Map keeps insertion order: moving the key to the end marks it most recently used.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  /** Keeps `value` as most recently used, dropping others past the bound; false when it alone exceeds it. */
  set(key: K, value: V, bytes: number): boolean {
    this.delete(key);
    if (bytes > this.#maxBytes) return false;
    this.#entries.set(key, { value, bytes });
    this.#bytes += bytes;
    this.#evict();
    return true;
  }

  /** Records that the value kept for `key` now holds `bytes`, dropping it if it alone exceeds the bound. */
  resize(key: K, bytes: number): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.set(key, entry.value, bytes);
  }

  delete(key: K): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
  }

  /** Drops the least recently used until both bounds hold. The newest entry fits by itself, so it stays. */
  #evict(): void {
    for (const [key, entry] of this.#entries) {
      if (this.#bytes <= this.#maxBytes && this.#entries.size <= this.#maxEntries) return;
      this.#entries.delete(key);
      this.#bytes -= entry.bytes;
    }
  }
}
