import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createSearch,
  SEARCH_INDEX_PATH,
  type DocsSearch,
  type SearchIndexFile,
} from '../isomorphic/search/engine.ts';

/**
 * The docs search over the built index (the same file and ranking the search dialog uses),
 * read and indexed on first use, then kept: the index changes only with a new build.
 */
export function docsSearchFrom(clientDir: string): () => Promise<DocsSearch> {
  let loading: Promise<DocsSearch> | null = null;
  return () => {
    loading ??= readFile(join(clientDir, SEARCH_INDEX_PATH), 'utf8').then((text) =>
      createSearch((JSON.parse(text) as SearchIndexFile).sections),
    );
    // A failed read is tried again by the next request rather than kept.
    loading.catch(() => (loading = null));
    return loading;
  };
}
