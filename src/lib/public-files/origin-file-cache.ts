import { createHash } from 'node:crypto';
import { ByteLru } from '../byte-lru.ts';
import { loadConfig } from '../config/config.ts';

/** A file made for one site origin, and the ETag that names it. */
export interface OriginFile<Body extends string | Buffer = string | Buffer> {
  body: Body;
  etag: string;
}

/**
 * One cache for every file made per site origin (`/llms.txt`, `/llms-full.txt`,
 * `/cli/keyway.tgz`, `/openapi.json`), bounded by ORIGIN_FILE_CACHE_BYTES. Without
 * PUBLIC_ORIGIN the origin follows the Host header, which a client chooses. The production
 * server loads this module through its own bundle while Astro's build has its own copy, so
 * the cache is kept on globalThis, where both copies find the same one.
 */
const SLOT = Symbol.for('keyway.origin-file-cache');
type Holder = { [SLOT]?: ByteLru<string, OriginFile> };

function cache(): ByteLru<string, OriginFile> {
  const holder = globalThis as Holder;
  holder[SLOT] ??= new ByteLru(loadConfig().originFileCacheBytes);
  return holder[SLOT];
}

/** A strong ETag naming these bytes: the first 160 bits of their SHA-256. */
export function contentEtag(body: string | Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/**
 * The file `name` for `origin`, its body made by `make` on first use, with its ETag, and kept
 * among the most recently used; one larger than the whole bound is made for each request
 * instead.
 */
export function originFile<Body extends string | Buffer>(
  name: string,
  origin: string,
  make: () => Body,
): OriginFile<Body> {
  const key = `${name} ${origin}`;
  const kept = cache().get(key) as OriginFile<Body> | undefined;
  if (kept) return kept;
  const body = make();
  const made = { body, etag: contentEtag(body) };
  cache().set(key, made, Buffer.byteLength(body));
  return made;
}

/** Bytes the kept files hold now (for tests and diagnostics). */
export function originFileBytes(): number {
  return cache().bytes;
}

/** Forgets every kept file and the bound, so the next use reads the configuration again (tests). */
export function resetOriginFiles(): void {
  delete (globalThis as Holder)[SLOT];
}
