import type { KeywayConfig } from '../config/config.ts';
import { getDatabase } from '../db/index.ts';
import { objectIdValues } from './object-ids.ts';
import type { PagePersonalization } from './personalize.ts';
import {
  fillEncodedParts,
  needsObjectIds,
  slotEncoder,
  type EncodedTemplate,
  type SlotName,
  type SlotValues,
} from './standins.ts';

/**
 * A page's template compressed ahead of time, filled per reader without compressing the
 * page again (the production server's GzipVariants in src/server/compression). It gives
 * null when it cannot fill for these values now; the reader then gets the plain page.
 */
export interface GzipFiller {
  fill(value: (slot: SlotName) => Buffer): Promise<{ chunks: Buffer[]; length: number } | null>;
}

/**
 * One reader's page: the bytes to send, in order (the template's parts and the reader's values,
 * not joined: see fillEncodedParts), their total length, and whether they are gzip.
 */
export interface FilledPage {
  chunks: readonly Buffer[];
  length: number;
  gzipped: boolean;
}

/** A filled page as one buffer, for a caller that needs one (a web Response, a string). */
export function pageBytes(page: FilledPage): Buffer {
  return page.chunks.length === 1 ? page.chunks[0]! : Buffer.concat(page.chunks, page.length);
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
  // The ids laid over the reader's values, not copied with them: a copy would work out every
  // value, those this page never shows included.
  const values: SlotValues = needsObjectIds(template)
    ? Object.assign(
        Object.create(personal.values) as SlotValues,
        await objectIdValues((await getDatabase(config.database)).db, personal.reader),
      )
    : personal.values;
  const gzipped = gzip ? await gzip.fill(slotEncoder(values)) : null;
  if (gzipped) return { ...gzipped, gzipped: true };
  return { ...fillEncodedParts(template, values), gzipped: false };
}
