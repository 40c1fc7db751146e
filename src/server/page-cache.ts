import type { EncodedTemplate } from '../lib/snippets/standins.ts';
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
 * Template pages by path and language tab. Entries never expire: a page's template changes
 * only with a new build, which means a new process. Only pages that rendered as templates
 * are stored, so the size is bounded by the site's pages times its languages; concurrent
 * first requests for one page share a single render.
 */
export class PageCache {
  readonly #pages = new Map<string, Promise<CachedPage | null>>();

  /** The cached page, rendering it with `render` on first use (null: not a template). */
  get(path: string, language: string, render: () => Promise<CachedPage | null>): Promise<CachedPage | null> {
    const key = `${language} ${path}`;
    let page = this.#pages.get(key);
    if (!page) {
      page = render().then(
        (result) => {
          if (!result) this.#pages.delete(key);
          return result;
        },
        (error: unknown) => {
          this.#pages.delete(key);
          throw error;
        },
      );
      this.#pages.set(key, page);
    }
    return page;
  }

  get size(): number {
    return this.#pages.size;
  }
}
