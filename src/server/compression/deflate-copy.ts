/**
 * A hand-made deflate block that repeats earlier output: "copy `length` bytes from
 * `distance` bytes back" (RFC 1951, fixed Huffman codes), followed by an empty stored
 * block so that it ends on a byte boundary. A reader's key appears many times on a page;
 * after the first, each copy costs ~9 bytes instead of the key itself, and since the copy
 * names no bytes, it is the same for every reader.
 */

/** Longest and shortest single copy, and the farthest back one may reach. */
const MAX_COPY = 258;
const MIN_COPY = 3;
const MAX_DISTANCE = 32768;

/**
 * [first value, extra bits] of each code, laid out as RFC 1951 (3.2.5) has them: each code
 * covers 2^extra values from where the previous one ended.
 */
function codeTable(
  count: number,
  first: number,
  extraBits: (code: number) => number,
): Array<[number, number]> {
  const table: Array<[number, number]> = [];
  for (let code = 0, start = first; code < count; start += 2 ** extraBits(code), code++) {
    table.push([start, extraBits(code)]);
  }
  return table;
}

/** Length codes 257..285: eight without extra bits, then four per extra bit; 285 is 258 alone. */
const LENGTH_CODES = [
  ...codeTable(28, 3, (code) => Math.max(0, Math.floor(code / 4) - 1)),
  [258, 0],
] as Array<[number, number]>;
/** Distance codes 0..29: four without extra bits, then two per extra bit. */
const DISTANCE_CODES = codeTable(30, 1, (code) => Math.max(0, Math.floor(code / 2) - 1));

/** Deflate's bit order: fields from the lowest bit up, Huffman codes from their top bit. */
class BitWriter {
  readonly #bytes: number[] = [];
  #current = 0;
  #used = 0;

  bits(value: number, count: number): void {
    for (let i = 0; i < count; i++) this.#bit((value >>> i) & 1);
  }

  huffman(code: number, count: number): void {
    for (let i = count - 1; i >= 0; i--) this.#bit((code >>> i) & 1);
  }

  /** Pads to the byte boundary with zeros. */
  toBuffer(): Buffer {
    if (this.#used > 0) this.#bytes.push(this.#current);
    return Buffer.from(this.#bytes);
  }

  #bit(bit: number): void {
    this.#current |= bit << this.#used;
    if (++this.#used === 8) {
      this.#bytes.push(this.#current);
      this.#current = 0;
      this.#used = 0;
    }
  }
}

/** Whether a copy of `length` bytes from `distance` back can be made. */
export function canCopy(length: number, distance: number): boolean {
  return length >= MIN_COPY && distance >= 1 && distance <= MAX_DISTANCE;
}

/** The blocks (not final) that repeat `length` bytes from `distance` back; see canCopy. */
export function copyBlock(length: number, distance: number): Buffer {
  if (!canCopy(length, distance)) throw new Error(`Cannot copy ${length} bytes from ${distance} back.`);
  const out = new BitWriter();
  out.bits(0, 1); // not the final block
  out.bits(1, 2); // fixed Huffman codes
  for (let left = length; left > 0;) {
    // Leave at least MIN_COPY for the next piece.
    const piece = left > MAX_COPY ? Math.min(MAX_COPY, left - MIN_COPY) : left;
    writeLength(out, piece);
    writeDistance(out, distance);
    left -= piece;
  }
  out.huffman(0, 7); // end of block (symbol 256)
  out.bits(0, 1); // an empty stored block, not final...
  out.bits(0, 2);
  const aligned = out.toBuffer(); // ...padded to the byte boundary,
  return Buffer.concat([aligned, Buffer.from([0x00, 0x00, 0xff, 0xff])]); // LEN 0, NLEN.
}

function writeLength(out: BitWriter, length: number): void {
  const index = lastAtMost(LENGTH_CODES, length);
  const symbol = 257 + index;
  // Fixed codes: symbols 256-279 are 7 bits from 0; 280-287 are 8 bits from 0b11000000.
  if (symbol <= 279) out.huffman(symbol - 256, 7);
  else out.huffman(0b11000000 + symbol - 280, 8);
  const [base, extra] = LENGTH_CODES[index]!;
  out.bits(length - base, extra);
}

function writeDistance(out: BitWriter, distance: number): void {
  const index = lastAtMost(DISTANCE_CODES, distance);
  out.huffman(index, 5);
  const [base, extra] = DISTANCE_CODES[index]!;
  out.bits(distance - base, extra);
}

/** Index of the last code whose first value is at most `value`. */
function lastAtMost(codes: ReadonlyArray<[number, number]>, value: number): number {
  let index = 0;
  while (index + 1 < codes.length && codes[index + 1]![0] <= value) index++;
  return index;
}
