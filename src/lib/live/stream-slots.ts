/** Open streams one reader (a member's session, or an anonymous reader's sample keys) may hold. */
export const MAX_STREAMS_PER_READER = 3;

/** How many open streams a process allows, in all and from one client address. */
export interface StreamLimits {
  total: number;
  perAddress: number;
}

/** Who asks for a stream: the reader, and the address the connection came from. */
export interface StreamClaimant {
  reader: string;
  address: string;
}

export type StreamClaim = { ok: true; release: () => void } | { ok: false; message: string };

/**
 * Counts a process's open streams. Every open stream holds a connection and some memory, so
 * one reader, one address and the process as a whole each get a ceiling; a claim past any
 * of them is refused with the reason, and nothing is counted for it.
 */
export class StreamSlots {
  readonly #byReader = new Map<string, number>();
  readonly #byAddress = new Map<string, number>();
  #total = 0;

  readonly #limits: StreamLimits;
  readonly #tooManyForReader: string;

  /** `tooManyForReader`: what a reader past their own ceiling is told (streams are not always tabs). */
  constructor(
    limits: StreamLimits,
    tooManyForReader = 'Too many open streams: close another tab showing the walkthrough.',
  ) {
    this.#limits = limits;
    this.#tooManyForReader = tooManyForReader;
  }

  /** Claims a slot; `release` gives it back (once, however often it is called). */
  claim(who: StreamClaimant): StreamClaim {
    if ((this.#byReader.get(who.reader) ?? 0) >= MAX_STREAMS_PER_READER) {
      return { ok: false, message: this.#tooManyForReader };
    }
    if ((this.#byAddress.get(who.address) ?? 0) >= this.#limits.perAddress) {
      return {
        ok: false,
        message: 'Too many open streams from your network: close some tabs and try again.',
      };
    }
    if (this.#total >= this.#limits.total) {
      return { ok: false, message: 'The server holds as many live streams as it can: try again shortly.' };
    }
    bump(this.#byReader, who.reader, 1);
    bump(this.#byAddress, who.address, 1);
    this.#total++;
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        bump(this.#byReader, who.reader, -1);
        bump(this.#byAddress, who.address, -1);
        this.#total--;
      },
    };
  }
}

/** Adds to a count, dropping it at zero so the map holds only open streams. */
function bump(counts: Map<string, number>, key: string, by: number): void {
  const next = (counts.get(key) ?? 0) + by;
  if (next > 0) counts.set(key, next);
  else counts.delete(key);
}
