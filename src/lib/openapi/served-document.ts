import { openApiDocument } from '../../spec/openapi.ts';
import { originFile } from '../public-files/origin-file-cache.ts';

/** A rendered `/openapi.json`: its text and the ETag that names it. */
export interface ServedDocument {
  body: string;
  etag: string;
}

/** The document whose server is `origin`, rendered once and kept while ORIGIN_FILE_CACHE_BYTES allows. */
export function servedDocument(origin: string): ServedDocument {
  return originFile('openapi.json', origin, () => JSON.stringify(openApiDocument(origin), null, 2));
}
