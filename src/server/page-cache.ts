import type { EncodedTemplate } from '../lib/page-template/standins.ts';
import type { GzipVariants } from './compression/gzip-variants.ts';

/** A rendered page with stand-ins, and the response headers that go with it. */
export interface CachedPage {
  status: number;
  template: EncodedTemplate;
  /** The same template compressed, for readers who accept gzip. */
  gzip: GzipVariants;
  headers: Record<string, string>;
}

/**
 * Template pages by path and language tab. Entries do not go stale: a page's template
 * changes only with a new build, which means a new process. The server stores only pages
 * that rendered as templates at their canonical path (see canonicalPagePath), which the
 * site's pages times its languages bound; `maxEntries` bounds it anyway, dropping the least
 * recently used page, so that no way of spelling a request can grow memory without end.
 * Concurrent first requests for one page share a single render.
 */
export class PageCache {
  readonly #pages = new Map<string, Promise<CachedPage | null>>();
  readonly #maxEntries: number;

  constructor(maxEntries: number) {
    this.#maxEntries = maxEntries;
  }

  /** The cached page, rendering it with `render` on first use (null: not a template). */
  get(path: string, language: string, render: () => Promise<CachedPage | null>): Promise<CachedPage | null> {
    const key = `${language} ${path}`;
    let page = this.#pages.get(key);
    if (page) {
      // A Map keeps insertion order: moving the key to the end marks it most recently used.
      this.#pages.delete(key);
    } else {
      const rendering = render().then(
        (result) => {
          if (!result) this.#forget(key, rendering);
          return result;
        },
        (error: unknown) => {
          this.#forget(key, rendering);
          throw error;
        },
      );
      page = rendering;
    }
    this.#pages.set(key, page);
    if (this.#pages.size > this.#maxEntries) this.#pages.delete(this.#pages.keys().next().value!);
    return page;
  }

  /** Drops a render that gave no page, unless the key has been rendered again since. */
  #forget(key: string, rendering: Promise<CachedPage | null>): void {
    if (this.#pages.get(key) === rendering) this.#pages.delete(key);
  }
}
