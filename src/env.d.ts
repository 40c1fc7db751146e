/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    /**
     * Whose keys the samples carry. Pages that are cached as templates (docs, landing) must
     * not read it: they render key stand-ins that are filled per reader after rendering.
     */
    reader: import('./lib/reader/reader.ts').Reader;
    /** The language tab to show first: from `?lang=`, else the reader's cookie, else curl. */
    language: import('./lib/snippets/languages/index.ts').LanguageId;
    /** The reader reached us over HTTPS (or the public origin is HTTPS): cookies are Secure. */
    secure: boolean;
    /**
     * This reader's values for the stand-ins, HTML-escaped: for endpoints that render samples
     * as JSON, and for pages rendered per request, which show them directly (see pageSlots).
     */
    slots: import('./lib/page-template/standins.ts').SlotValues;
    /** The origin samples call (PUBLIC_ORIGIN, or the reader's checked Host), unescaped. */
    origin: URL;
    /** Numbers the code samples of one page, so tab and panel ids are unique and stable. */
    sampleCount: number;
    /**
     * The client's address for throttles and limits: the socket's peer, or with
     * TRUSTED_PROXIES what the trusted proxies forwarded (src/lib/http/client-address.ts).
     */
    clientAddress: string;
  }
}

/** The API reference's example responses, made by the sandbox at build time (src/build/reference-examples/examples-plugin.ts). */
declare module 'virtual:keyway/reference-examples' {
  const responses: import('./build/reference-examples/example-responses.ts').ExampleResponses;
  export default responses;
}
