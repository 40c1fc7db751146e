import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type http from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import Negotiator from 'negotiator';
import { ByteLru } from '../../lib/byte-lru.ts';

/** Static files worth compressing, by extension, with the type they are served as. */
const COMPRESSIBLE_TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.xml': 'application/xml; charset=utf-8',
};

/** Build output in here carries a content hash in its name, so it may be cached for good. */
const HASHED_ASSETS = '/_astro/';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

type Coding = 'br' | 'gzip' | 'identity';

/** One file as it is served: its bytes in each coding that is smaller than the file. */
interface Asset {
  type: string;
  lastModified: string;
  /** Seconds since the epoch of the file's time, as If-Modified-Since compares it. */
  modifiedSeconds: number;
  /** Content hash, the root of each coding's entity tag. */
  hash: string;
  bodies: Partial<Record<Coding, Buffer>>;
}

/**
 * Compressible static files (CSS, JavaScript, SVG, JSON, …) from the built client folder,
 * answered from memory in the best coding the reader accepts: each file is read and
 * compressed once, at the highest brotli and gzip levels, on its first request. Files
 * change only with a new build, which means a new process. What is kept is bounded in bytes
 * (STATIC_CACHE_BYTES), the least recently used file going first; a file larger than the
 * whole bound is read and compressed for each request instead. Everything else (images,
 * and paths that are no file) is left to Astro's static handler and routes.
 *
 * Kept instead of sirv over .br and .gz files written at build, for correctness and cost.
 * sirv sends brotli to `Accept-Encoding: br;q=0, gzip`, answers 304 without the ETag, Vary
 * and Cache-Control, ignores If-Modified-Since, matches If-None-Match only as a whole header
 * and types CSS and JavaScript without a charset (tests/integration/compression.test.ts
 * fails on each). `npm run bench:plumbing` (tests/bench/plumbing.mjs, 7 rounds of 3000
 * requests, brotli, on two cores shared with other work, December 2026): server CPU per 1000
 * requests 180 ms here against 373 ms for sirv for the 33 KB stylesheet, 163 against 293 ms
 * for a 10 KB script; resident memory after start 118 against 123 MB. Requests per second
 * on that busy machine went sirv's way (733 against 987, 997 against 1485): sirv reads files
 * on libuv's threads, which win it a larger share of contended cores, not less work.
 */
export class StaticAssets {
  readonly #root: string;
  readonly #assets: ByteLru<string, Asset>;
  /** Loads under way, by file: as many as requests waiting on a first load. */
  readonly #loading = new Map<string, Promise<Asset | null>>();

  constructor(root: string, maxBytes: number) {
    this.#root = path.resolve(root);
    this.#assets = new ByteLru(maxBytes);
  }

  /** Bytes the kept files hold now, in all their codings. */
  get bytes(): number {
    return this.#assets.bytes;
  }

  /** Answers a GET or HEAD for a compressible file; false when there is no such file. */
  async serve(req: http.IncomingMessage, res: http.ServerResponse, pathname: string): Promise<boolean> {
    const type = COMPRESSIBLE_TYPES[path.posix.extname(pathname).toLowerCase()];
    if (!type) return false;
    const file = this.#resolve(pathname);
    if (!file) return false;
    const loaded = this.#assets.get(file) ?? (await this.#load(file, type));
    if (!loaded) return false;
    send(req, res, pathname, loaded);
    return true;
  }

  /** Loads a file once for the requests that ask meanwhile, and keeps it. A missing file is not remembered: the set of paths asked for is unbounded. */
  #load(file: string, type: string): Promise<Asset | null> {
    let loading = this.#loading.get(file);
    if (!loading) {
      loading = load(file, type).then((asset) => {
        if (asset) this.#assets.set(file, asset, assetBytes(asset));
        return asset;
      });
      const settled = () => this.#loading.delete(file);
      loading.then(settled, settled);
      this.#loading.set(file, loading);
    }
    return loading;
  }

  /** The file a URL path names inside the root, or null (outside it, or a dotfile). */
  #resolve(pathname: string): string | null {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return null;
    }
    if (decoded.includes('\0') || decoded.split('/').some((segment) => segment.startsWith('.'))) return null;
    const file = path.resolve(this.#root, `.${path.posix.normalize(decoded)}`);
    return file.startsWith(this.#root + path.sep) ? file : null;
  }
}

function assetBytes(asset: Asset): number {
  return Object.values(asset.bodies).reduce((sum, body) => sum + body.length, 0);
}

async function load(file: string, type: string): Promise<Asset | null> {
  let info;
  try {
    info = await stat(file);
  } catch {
    return null;
  }
  if (!info.isFile()) return null;
  const body = await readFile(file);
  const [br, gz] = await Promise.all([
    brotli(body, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    }),
    gzip(body, { level: zlib.constants.Z_BEST_COMPRESSION }),
  ]);
  const bodies: Asset['bodies'] = { identity: body };
  if (br.length < body.length) bodies.br = br;
  if (gz.length < body.length) bodies.gzip = gz;
  return {
    type,
    lastModified: info.mtime.toUTCString(),
    modifiedSeconds: Math.floor(info.mtimeMs / 1000),
    hash: createHash('sha256').update(body).digest('base64url').slice(0, 22),
    bodies,
  };
}

function send(req: http.IncomingMessage, res: http.ServerResponse, pathname: string, asset: Asset): void {
  const offered = (Object.keys(asset.bodies) as Coding[]).filter((coding) => coding !== 'identity');
  const coding =
    (new Negotiator(req).encoding([...offered, 'identity'], { preferred: ['br', 'gzip'] }) as
      Coding | undefined) ?? 'identity';
  const etag = coding === 'identity' ? `"${asset.hash}"` : `"${asset.hash}-${coding}"`;
  const headers: http.OutgoingHttpHeaders = {
    'cache-control': pathname.startsWith(HASHED_ASSETS)
      ? 'public, max-age=31536000, immutable'
      : 'public, max-age=0',
    etag,
    'last-modified': asset.lastModified,
    vary: 'Accept-Encoding',
  };
  if (notModified(req, etag, asset.modifiedSeconds)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const body = asset.bodies[coding]!;
  res.writeHead(200, {
    ...headers,
    'content-type': asset.type,
    'content-length': body.length,
    'x-content-type-options': 'nosniff',
    ...(coding === 'identity' ? {} : { 'content-encoding': coding }),
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** A conditional GET the reader's copy satisfies (RFC 9110 13.1.2 and 13.1.3). */
function notModified(req: http.IncomingMessage, etag: string, modifiedSeconds: number): boolean {
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    return ifNoneMatch
      .split(',')
      .map((tag) => tag.trim().replace(/^W\//, ''))
      .some((tag) => tag === '*' || tag === etag);
  }
  const since = Date.parse(req.headers['if-modified-since'] ?? '');
  return !Number.isNaN(since) && modifiedSeconds <= since / 1000;
}
