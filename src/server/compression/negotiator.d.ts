// negotiator 1.x, as used here: @types/negotiator describes 0.6, which has no `preferred`.
declare module 'negotiator' {
  import type { IncomingHttpHeaders } from 'node:http';

  class Negotiator {
    constructor(request: { headers: IncomingHttpHeaders });
    /** The best of `available` that the request accepts; ties go to `preferred` order. */
    encoding(available: readonly string[], options?: { preferred?: readonly string[] }): string | undefined;
    /** The best of `available` by the Accept header's q-values; ties go to `available` order. */
    mediaType(available: readonly string[]): string | undefined;
  }
  export = Negotiator;
}
