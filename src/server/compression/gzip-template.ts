import zlib from 'node:zlib';
import { SLOT_VARIETY, type EncodedTemplate, type SlotName } from '../../lib/page-template/standins.ts';
import { crc32Shift, multiplyCrc32 } from './crc32-shift.ts';
import { canCopy, copyBlock } from './deflate-copy.ts';

/**
 * Gzip for personalized pages without compressing per request. A page template is
 * compressed once as one deflate stream in which each of the reader's own values is a gap:
 * the compressed text before a gap ends on a byte boundary (a sync flush), so per request
 * the reader's value goes in as a stored (uncompressed) block. Where a value repeats, a
 * back-reference to its previous place (deflate-copy.ts), the same for every reader, went in
 * at compile time instead. That yields a valid gzip body for the cost of copying ~10-20 KB,
 * less than sending the page plain, where compressing each response, even at the fastest
 * level, would cost more than the rest of the request.
 *
 * Why it is correct: while compressing, each gap holds filler bytes of the value's exact
 * length, so back-references from later text reach the same bytes at the same distances
 * when the reader's value is there instead. The filler is 0xFF, a byte that never occurs in
 * UTF-8, so no back-reference can copy filler (it would copy the reader's bytes instead).
 * So a compiled stream fits only values of the lengths it was built for, and it has the
 * values many readers share (the origin, the key note) compressed in as text
 * (SLOT_VARIETY); GzipVariants keeps one per combination. A value whose length varies
 * from reader to reader gets no filler: the stream is reset after it (a full flush, ~200
 * bytes dearer) so that nothing later refers back across it.
 */
export interface GzipTemplate {
  /** Compressed text between gaps; each piece ends byte-aligned, none is final. */
  parts: Buffer[];
  /** The slot of each gap the reader's value is stored in, in page order. */
  gaps: SlotName[];
  /** The page's stretches between variable-length gaps (one if there are none). */
  segments: Segment[];
  /** Uncompressed length of the page without the variable-length values. */
  fixedSize: number;
  /** The byte length each fixed-length slot's value must have. */
  lengths: Map<SlotName, number>;
}

interface Segment {
  /** The variable-length slot that follows this segment, if any. */
  nextSlot: SlotName | undefined;
  /** Uncompressed length, and crc32Shift of it. */
  size: number;
  sizeShift: number;
  /** CRC-32 of its bytes with filler in every gap. */
  fillerCrc: number;
  /** Per slot: the sum of x^(8 * bytes after each of its gaps, to the segment's end). */
  slotShifts: Map<SlotName, number>;
}

/** gzip magic, deflate, no flags, no time, unknown OS (RFC 1952). */
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
/** A final, empty block with fixed codes: ends the deflate stream. */
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);
/** A stored block carries at most this many bytes. */
const STORED_MAX = 0xffff;
const FILLER = 0xff;

/** Compresses a template for readers whose values have the lengths (and shared values) of `value`'s. */
export async function compileGzipTemplate(
  template: EncodedTemplate,
  value: (slot: SlotName) => Buffer,
): Promise<GzipTemplate> {
  const deflate = flushingDeflate();
  const compiled: GzipTemplate = { parts: [], gaps: [], segments: [], fixedSize: 0, lengths: new Map() };
  let segment = newSegment();
  let gapEnds: Array<{ slot: SlotName; end: number }> = [];
  /** Where in the segment each slot's value last began, for copies of it. */
  const lastStart = new Map<SlotName, number>();
  let text: Buffer[] = [];
  let piece: Buffer[] = [];
  const addText = (bytes: Buffer) => {
    text.push(bytes);
    segment.fillerCrc = updateCrc32(bytes, segment.fillerCrc);
    segment.size += bytes.length;
  };
  /** The compressed piece so far is complete: a stored value (or the end) follows. */
  const endPiece = (slot: SlotName | undefined) => {
    compiled.parts.push(Buffer.concat(piece));
    piece = [];
    if (slot !== undefined) compiled.gaps.push(slot);
  };
  try {
    for (let i = 0; i < template.parts.length; i++) {
      addText(template.parts[i]!);
      const slot = template.slots[i];
      const variety = slot === undefined ? 'end' : SLOT_VARIETY[slot];
      if (variety === 'shared') {
        addText(value(slot!));
        continue;
      }
      const resets = variety !== 'fixed';
      const flush = resets ? zlib.constants.Z_FULL_FLUSH : zlib.constants.Z_SYNC_FLUSH;
      piece.push(await deflate.compress(Buffer.concat(text), flush));
      text = [];
      if (resets) {
        // The end of the page, or a gap of any length: close the segment.
        endPiece(slot);
        for (const gap of gapEnds) {
          const shift = crc32Shift(segment.size - gap.end);
          segment.slotShifts.set(gap.slot, (segment.slotShifts.get(gap.slot) ?? 0) ^ shift);
        }
        segment.nextSlot = slot;
        segment.sizeShift = crc32Shift(segment.size);
        compiled.segments.push(segment);
        compiled.fixedSize += segment.size;
        segment = newSegment();
        gapEnds = [];
        lastStart.clear();
        continue;
      }
      const length = value(slot!).length;
      const start = segment.size;
      const previous = lastStart.get(slot!);
      // A value the page showed before, not too far back, is copied from there.
      if (previous !== undefined && canCopy(length, start - previous))
        piece.push(copyBlock(length, start - previous));
      else endPiece(slot);
      lastStart.set(slot!, start);
      compiled.lengths.set(slot!, length);
      const filler = Buffer.alloc(length, FILLER);
      // The filler's compressed form is dropped: the reader's value takes its place.
      await deflate.compress(filler, zlib.constants.Z_SYNC_FLUSH);
      segment.fillerCrc = updateCrc32(filler, segment.fillerCrc);
      segment.size += length;
      gapEnds.push({ slot: slot!, end: segment.size });
    }
  } finally {
    deflate.close();
  }
  return compiled;
}

/** A raw deflate stream (best compression) that returns what each flushed input became. */
function flushingDeflate() {
  const deflate = zlib.createDeflateRaw({ level: zlib.constants.Z_BEST_COMPRESSION, memLevel: 9 });
  // Output is read as it comes (so a large part cannot stall the stream), and the rest
  // after each flush: zlib hands over all output of a flush before calling back.
  let output: Buffer[] = [];
  const drain = () => {
    for (let chunk: Buffer | null; (chunk = deflate.read() as Buffer | null) !== null;) output.push(chunk);
  };
  deflate.on('readable', drain);
  return {
    async compress(input: Buffer, flush: number): Promise<Buffer> {
      deflate.write(input);
      await new Promise<void>((resolve) => deflate.flush(flush, resolve));
      drain();
      const compressed = Buffer.concat(output);
      output = [];
      return compressed;
    },
    close: () => deflate.close(),
  };
}

/**
 * zlib.crc32(bytes, crc), except that no bytes leave the CRC as it was. zlib reads an empty
 * buffer with no memory behind it (a null pointer, as an empty Buffer has once it has been
 * written to a zlib stream) as "start a new CRC" and returns 0, which would drop everything
 * the segment's CRC held so far.
 */
function updateCrc32(bytes: Buffer, crc: number): number {
  return bytes.length === 0 ? crc : zlib.crc32(bytes, crc);
}

function newSegment(): Segment {
  return { nextSlot: undefined, size: 0, sizeShift: 0, fillerCrc: 0, slotShifts: new Map() };
}

/**
 * The gzip body of a compiled template filled with a reader's values, which must have the
 * lengths (and shared values) it was compiled for.
 *
 * The CRC is worked out from the filler's: a CRC is linear in the message bits, so putting
 * a value where its filler was changes a segment's CRC by crc(value XOR filler) (without
 * the initial and final inversions) times x^(8 * bytes after the gap), and the terms of
 * every gap of one slot add up to one multiplication by that slot's precomputed sum.
 * Segments and variable-length values are then chained as zlib's crc32_combine does.
 */
export function fillGzipTemplate(compiled: GzipTemplate, value: (slot: SlotName) => Buffer): Buffer {
  const { chunks, length } = fillGzipParts(compiled, value);
  return Buffer.concat(chunks, length);
}

/**
 * The same gzip body as its pieces in order (the compiled parts, each value's stored-block
 * header and the value itself), none copied: the server writes them as they are.
 */
export function fillGzipParts(
  compiled: GzipTemplate,
  value: (slot: SlotName) => Buffer,
): { chunks: Buffer[]; length: number } {
  const blocks = new Map<SlotName, Buffer[]>();
  const linearCrcs = new Map<SlotName, number>();
  for (const slot of compiled.gaps) {
    if (blocks.has(slot)) continue;
    const bytes = value(slot);
    const expected = compiled.lengths.get(slot);
    if (expected !== undefined && bytes.length !== expected) {
      throw new Error(
        `The value for ${slot} has ${bytes.length} bytes; this stream was compiled for ${expected}.`,
      );
    }
    blocks.set(slot, storedBlocks(bytes));
    const difference = Buffer.allocUnsafe(bytes.length);
    for (let i = 0; i < bytes.length; i++) difference[i] = bytes[i]! ^ FILLER;
    linearCrcs.set(slot, (zlib.crc32(difference) ^ zeroCrc(bytes.length)) >>> 0);
  }

  let crc = 0;
  let size = compiled.fixedSize;
  for (const segment of compiled.segments) {
    let segmentCrc = segment.fillerCrc;
    for (const [slot, shift] of segment.slotShifts) segmentCrc ^= multiplyCrc32(linearCrcs.get(slot)!, shift);
    crc = chainCrc32(crc, segmentCrc >>> 0, segment.sizeShift);
    if (segment.nextSlot !== undefined) {
      const bytes = value(segment.nextSlot);
      crc = chainCrc32(crc, zlib.crc32(bytes), crc32Shift(bytes.length));
      size += bytes.length;
    }
  }

  const chunks: Buffer[] = [GZIP_HEADER, compiled.parts[0]!];
  for (let i = 0; i < compiled.gaps.length; i++) {
    chunks.push(...blocks.get(compiled.gaps[i]!)!, compiled.parts[i + 1]!);
  }
  const trailer = Buffer.allocUnsafe(8);
  trailer.writeUInt32LE(crc, 0);
  trailer.writeUInt32LE(size % 2 ** 32, 4);
  chunks.push(FINAL_BLOCK, trailer);
  let length = 0;
  for (const chunk of chunks) length += chunk.length;
  return { chunks, length };
}

/** CRC-32 of `length` zero bytes, for the lengths values come in (a few dozen at most). */
const zeroCrcs = new Map<number, number>();
const ZERO_CRCS_KEPT = 256;
function zeroCrc(length: number): number {
  let crc = zeroCrcs.get(length);
  if (crc === undefined) {
    crc = zlib.crc32(Buffer.alloc(length));
    if (zeroCrcs.size < ZERO_CRCS_KEPT) zeroCrcs.set(length, crc);
  }
  return crc;
}

/** CRC-32 of `a + b` from the CRC-32 of each and crc32Shift of the length of `b`. */
function chainCrc32(crcA: number, crcB: number, shiftB: number): number {
  return (multiplyCrc32(shiftB, crcA) ^ crcB) >>> 0;
}

/** Bytes as stored deflate blocks (not final) of at most 65,535 bytes each: headers and pieces. */
function storedBlocks(bytes: Buffer): Buffer[] {
  const blocks: Buffer[] = [];
  for (let start = 0; start < bytes.length; start += STORED_MAX) {
    const piece = bytes.subarray(start, start + STORED_MAX);
    const header = Buffer.alloc(5);
    // First byte: "not final" and "stored" (3 bits), then padding to the byte boundary.
    header.writeUInt16LE(piece.length, 1);
    header.writeUInt16LE(~piece.length & 0xffff, 3);
    blocks.push(header, piece);
  }
  return blocks;
}
