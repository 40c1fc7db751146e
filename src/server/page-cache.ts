import { ByteLru } from '../lib/byte-lru.ts';
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

/** Bounds of the page cache (PAGE_CACHE_BYTES, and PAGE_CACHE_ENTRIES when set). */
export interface PageCacheBounds {
  maxBytes: number;
  maxEntries?: number;
}

/**
 * Template pages by path and language tab. Entries do not go stale: a page's template
 * changes only with a new build, which means a new process. The server stores only pages
 * that rendered as templates at their canonical path (see canonicalPagePath), which the
 * site's pages times its languages bound; the bytes they hold (the template and each gzip
 * stream compiled from it since) are bounded anyway, dropping the least recently used page,
 * so that no way of spelling a request can grow memory without end. A page larger than the
 * whole bound is served but not kept. Concurrent first requests for one page share a single
 * render.
 */
export class PageCache {
  readonly #pages: ByteLru<string, CachedPage>;
  /** Renders under way, by key: as many as requests waiting on a first render. */
  readonly #rendering = new Map<string, Promise<CachedPage | null>>();

  constructor({ maxBytes, maxEntries }: PageCacheBounds) {
    this.#pages = new ByteLru(maxBytes, maxEntries);
  }

  /** Bytes the kept pages hold now. */
  get bytes(): number {
    return this.#pages.bytes;
  }

  /** The cached page, rendering it with `render` on first use (null: not a template). */
  get(path: string, language: string, render: () => Promise<CachedPage | null>): Promise<CachedPage | null> {
    const key = `${language} ${path}`;
    const kept = this.#pages.get(key);
    if (kept) return Promise.resolve(kept);
    let rendering = this.#rendering.get(key);
    if (!rendering) {
      rendering = render().then((page) => {
        if (page) this.#keep(key, page);
        return page;
      });
      const settled = () => this.#rendering.delete(key);
      rendering.then(settled, settled);
      this.#rendering.set(key, rendering);
    }
    return rendering;
  }

  #keep(key: string, page: CachedPage): void {
    const templateBytes = page.template.fixedLength + headerBytes(page.headers);
    if (!this.#pages.set(key, page, templateBytes + page.gzip.bytes)) return;
    // Each gzip stream compiled later is the page's too; growing may push it or others out.
    page.gzip.onResize((gzipBytes) => {
      if (this.#pages.get(key) === page) this.#pages.resize(key, templateBytes + gzipBytes);
    });
  }
}

function headerBytes(headers: Record<string, string>): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(headers)) bytes += name.length + value.length;
  return bytes;
}
