import type { KeywayConfig } from '../config/config.ts';
import { getDatabase } from '../db/index.ts';
import { objectIdValues } from './object-ids.ts';
import type { PagePersonalization } from './personalize.ts';
import {
  fillEncodedTemplate,
  needsObjectIds,
  slotEncoder,
  type EncodedTemplate,
  type SlotName,
} from './standins.ts';

/**
 * A page's template compressed ahead of time, filled per reader without compressing the
 * page again (the production server's GzipVariants in src/server/compression). It gives
 * null when it cannot fill for these values now; the reader then gets the plain page.
 */
export interface GzipFiller {
  fill(value: (slot: SlotName) => Buffer): Promise<Buffer | null>;
}

/** One reader's page: the bytes to send, and whether they are gzip. */
export interface FilledPage {
  body: Buffer;
  gzipped: boolean;
}

/**
 * The one way a template becomes one reader's page, used by the production server
 * (src/server/page-server.ts, from its cache) and by Astro's middleware (`astro dev`, and
 * anything the cache does not hold). The reader's values were worked out once by
 * personalizePage; a page whose samples name objects also gets the reader's latest ids,
 * which cost a query, so pages without them never ask. With `gzip`, the page comes out
 * compressed; otherwise plain. See ARCHITECTURE.md, "How a docs page is served".
 */
export async function fillForReader(
  config: KeywayConfig,
  template: EncodedTemplate,
  personal: PagePersonalization,
  gzip: GzipFiller | null = null,
): Promise<FilledPage> {
  const values = needsObjectIds(template)
    ? {
        ...personal.values,
        ...(await objectIdValues((await getDatabase(config.database)).db, personal.reader)),
      }
    : personal.values;
  const gzipped = gzip ? await gzip.fill(slotEncoder(values)) : null;
  if (gzipped) return { body: gzipped, gzipped: true };
  return { body: fillEncodedTemplate(template, values), gzipped: false };
}
