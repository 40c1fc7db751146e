import { gzipSync } from 'node:zlib';

/** One regular file to put in a tarball. */
export interface TarEntry {
  /** The path inside the archive, `/`-separated, relative (npm expects `package/…`). */
  path: string;
  content: Buffer;
  /** Permission bits, e.g. 0o644; 0o755 for an executable. */
  mode: number;
}

const BLOCK = 512;

/**
 * npm's own fixed time for packed files (1985-10-26T08:15:00Z), so the same files always make
 * the same bytes, and so the same ETag.
 */
export const FIXED_MTIME_SECONDS = 499162500;

/** Writes `value` as zero-padded octal digits and a NUL into `width` bytes at `offset`. */
function writeOctal(header: Buffer, offset: number, width: number, value: number): void {
  const digits = value.toString(8).padStart(width - 1, '0');
  if (digits.length > width - 1) throw new RangeError(`${value} does not fit a ${width}-byte tar field.`);
  header.write(`${digits}\0`, offset, width, 'ascii');
}

/** A POSIX ustar header for one regular file. */
function ustarHeader(entry: TarEntry, mtimeSeconds: number): Buffer {
  const name = Buffer.from(entry.path, 'utf8');
  // Paths this short need no ustar prefix field; anything longer is a mistake of ours.
  if (name.length === 0 || name.length > 100)
    throw new RangeError(`Tar path too long or empty: ${entry.path}`);
  if (entry.path.startsWith('/') || entry.path.split('/').includes('..')) {
    throw new RangeError(`Tar path must stay inside the archive: ${entry.path}`);
  }
  const header = Buffer.alloc(BLOCK);
  name.copy(header, 0);
  writeOctal(header, 100, 8, entry.mode);
  writeOctal(header, 108, 8, 0); // uid
  writeOctal(header, 116, 8, 0); // gid
  writeOctal(header, 124, 12, entry.content.length);
  writeOctal(header, 136, 12, mtimeSeconds);
  header.write('0', 156, 'ascii'); // a regular file
  header.write('ustar\0', 257, 'ascii');
  header.write('00', 263, 'ascii');
  // The checksum is the byte sum of the header with its own field read as spaces.
  header.fill(' ', 148, 156);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return header;
}

/**
 * A gzipped ustar archive of `entries`, as `npm install <url>` and `tar -xzf` read it.
 * Written by hand: it takes a few dozen lines, and no tar package is among our dependencies.
 */
export function tarGzip(entries: readonly TarEntry[], mtimeSeconds = FIXED_MTIME_SECONDS): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    parts.push(ustarHeader(entry, mtimeSeconds), entry.content);
    const padding = (BLOCK - (entry.content.length % BLOCK)) % BLOCK;
    if (padding > 0) parts.push(Buffer.alloc(padding));
  }
  // Two empty blocks end the archive.
  parts.push(Buffer.alloc(BLOCK * 2));
  return gzipSync(Buffer.concat(parts), { level: 9 });
}
