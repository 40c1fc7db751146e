import { SLOT_VARIETY, type EncodedTemplate, type SlotName } from '../../lib/page-template/standins.ts';
import { compileGzipTemplate, fillGzipParts, type GzipTemplate } from './gzip-template.ts';

/** Compiled streams kept per template; beyond that, the least recently used is dropped. */
const MAX_VARIANTS = 16;
/**
 * Compiles running at once, in the whole process. Each takes 30-150 ms of a worker thread,
 * and what selects a variant comes partly from the request (the Host header names the
 * origin when PUBLIC_ORIGIN is unset), so past this a reader gets the plain page instead.
 */
const MAX_COMPILING = 2;
let compiling = 0;

/**
 * The gzip streams of one page template, compiled on first use for each combination of
 * shared values and value lengths its readers bring (a handful: sample or account keys,
 * real or placeholder ids, the origins the site is reached by). Readers who arrive
 * together share one compile.
 */
export class GzipVariants {
  readonly #template: EncodedTemplate;
  /** The template's slots that select a variant, once each. */
  readonly #keySlots: SlotName[];
  readonly #variants = new Map<string, Promise<GzipTemplate>>();
  /** Bytes of each compiled stream, by the same key. */
  readonly #sizes = new Map<string, number>();
  #bytes = 0;
  #resized: (bytes: number) => void = () => {};

  constructor(template: EncodedTemplate) {
    this.#template = template;
    this.#keySlots = [...new Set(template.slots)].filter((slot) => SLOT_VARIETY[slot] !== 'variable');
  }

  /** Bytes of the compiled streams kept now. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Calls `listener` with the new total whenever a stream is kept or dropped (the page cache counts them). */
  onResize(listener: (bytes: number) => void): void {
    this.#resized = listener;
  }

  /**
   * The gzip body of the page filled with a reader's values (see slotEncoder), or null when
   * it would need a compile and enough are already running.
   */
  async fill(value: (slot: SlotName) => Buffer): Promise<{ chunks: Buffer[]; length: number } | null> {
    const key = this.#keySlots
      .map((slot) => (SLOT_VARIETY[slot] === 'shared' ? value(slot).toString('latin1') : value(slot).length))
      .join('\0');
    let variant = this.#variants.get(key);
    if (variant) {
      this.#variants.delete(key);
    } else {
      if (compiling >= MAX_COMPILING) return null;
      compiling++;
      variant = compileGzipTemplate(this.#template, value).finally(() => compiling--);
      const compiled = variant;
      compiled.then(
        (stream) => {
          if (this.#variants.get(key) !== compiled) return;
          this.#sizes.set(
            key,
            stream.parts.reduce((sum, part) => sum + part.length, 0),
          );
          this.#changed();
        },
        () => {
          if (this.#variants.get(key) === compiled) this.#variants.delete(key);
        },
      );
    }
    this.#variants.set(key, variant);
    if (this.#variants.size > MAX_VARIANTS) this.#drop(this.#variants.keys().next().value!);
    return fillGzipParts(await variant, value);
  }

  #drop(key: string): void {
    this.#variants.delete(key);
    if (this.#sizes.delete(key)) this.#changed();
  }

  #changed(): void {
    this.#bytes = 0;
    for (const size of this.#sizes.values()) this.#bytes += size;
    this.#resized(this.#bytes);
  }
}
