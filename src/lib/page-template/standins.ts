import { TOKENS } from '../../isomorphic/api-call.ts';

/**
 * Stand-ins: what a reader-specific value looks like while a page is highlighted,
 * rendered and cached. Each is made only of `[A-Za-z0-9_]`, so no highlighter grammar
 * splits it across spans, and each is shaped like what it stands for (a key stand-in
 * is `sk_test_` + 24 characters), so it tokenizes the way the real value will.
 * Per request, {@link fillTemplate} swaps every stand-in for the reader's value.
 */
export const STANDINS = {
  secretKey: 'sk_test_KwStandInSecret000000000',
  publishableKey: 'pk_test_KwStandInPublish00000000',
  apiBase: 'KwStandInApiBase',
  apiHost: 'KwStandInApiHost',
  apiPort: 'KwStandInApiPort',
  apiProtocol: 'KwStandInApiProtocol',
  /** Shaped like ids (`cus_` + 14, `evt_` + 24 characters), so they tokenize as ids do. */
  customerId: 'cus_KwStandInCust0',
  eventId: 'evt_KwStandInEvent0000000000',
  /** Shaped like a `keyway listen` signing secret: `whsec_` + 24 characters. */
  webhookSecret: 'whsec_KwStandInWebhook00000000',
  /** `sample` or `account`: where the keys on the page come from (an attribute value). */
  keySource: 'KwStandInKeySource',
  /** The sentence that explains the keys on the page (text). */
  keyNote: 'KwStandInKeyNote',
  /** The header's sign-in or account links (HTML). */
  accountMenu: 'KwStandInAccountMenu',
  /** A notice for members whose role may not see keys, or nothing (HTML). */
  keyBanner: 'KwStandInKeyBanner',
  /** Where the samples' keys come from, said to this reader: a guest, a member, a member without keys (HTML). */
  keyIntro: 'KwStandInKeyIntro',
} as const;

export type SlotName = keyof typeof STANDINS;

/**
 * How a slot's value varies from reader to reader, which decides how compressed page
 * templates treat it (src/server/compression/gzip-template.ts): `shared` values are the
 * same for many readers (the site's origin; sample or account keys), `fixed` ones are the
 * reader's own but take one or a few lengths (keys, ids), `variable` ones differ in length
 * too (the account menu names the reader's e-mail address and accounts; the key banner an
 * account's name).
 */
export const SLOT_VARIETY: Record<SlotName, 'shared' | 'fixed' | 'variable'> = {
  secretKey: 'fixed',
  publishableKey: 'fixed',
  apiBase: 'shared',
  apiHost: 'shared',
  apiPort: 'shared',
  apiProtocol: 'shared',
  customerId: 'fixed',
  eventId: 'fixed',
  webhookSecret: 'fixed',
  keySource: 'shared',
  keyNote: 'shared',
  accountMenu: 'variable',
  keyBanner: 'variable',
  keyIntro: 'shared',
};

/** Per-reader values for every slot, already escaped for HTML. */
export type SlotValues = Record<SlotName, string>;

/** Which stand-in each author-facing token becomes before highlighting. */
const TOKEN_STANDINS: ReadonlyArray<[token: string, standin: string]> = [
  [TOKENS.secretKey, STANDINS.secretKey],
  [TOKENS.publishableKey, STANDINS.publishableKey],
  [TOKENS.apiBase, STANDINS.apiBase],
  [TOKENS.apiHost, STANDINS.apiHost],
  [TOKENS.apiPort, STANDINS.apiPort],
  [TOKENS.apiProtocol, STANDINS.apiProtocol],
  [TOKENS.customerId, STANDINS.customerId],
  [TOKENS.eventId, STANDINS.eventId],
  [TOKENS.webhookSecret, STANDINS.webhookSecret],
];

/** Replaces author tokens (`{{SECRET_KEY}}`, …) with stand-ins, before highlighting. */
export function tokensToStandins(code: string): string {
  let out = code;
  for (const [token, standin] of TOKEN_STANDINS) out = out.replaceAll(token, standin);
  return out;
}

/** Counts each key and API stand-in in a text, to check highlighting kept them whole. */
export function countStandins(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [, standin] of TOKEN_STANDINS) counts.set(standin, text.split(standin).length - 1);
  return counts;
}

/** Every stand-in and every author token: text that a fill would replace. */
const FILLED_WORDS = [...Object.values(STANDINS), ...TOKEN_STANDINS.map(([token]) => token)];

/**
 * Whether text holds a stand-in or an author token. User data that does must not go into
 * anything that is filled (a sample rendered from a reader's fields): it would come out as
 * a key or as markup.
 */
export function holdsStandin(text: string): boolean {
  return FILLED_WORDS.some((word) => text.includes(word));
}

const SLOT_BY_STANDIN = new Map(
  (Object.entries(STANDINS) as Array<[SlotName, string]>).map(([slot, standin]) => [standin, slot]),
);

const STANDIN_PATTERN = new RegExp(Object.values(STANDINS).join('|'), 'g');

/**
 * A page split at its stand-ins once, so that filling it per request is one join:
 * `parts[0] + value(slots[0]) + parts[1] + …`.
 */
export interface CompiledTemplate {
  parts: string[];
  slots: SlotName[];
}

/** Whether a compiled page shows object ids, which cost a lookup to fill. */
export function needsObjectIds(template: { slots: readonly SlotName[] }): boolean {
  return template.slots.includes('customerId') || template.slots.includes('eventId');
}

/** Splits rendered HTML at every stand-in. */
export function compileTemplate(html: string): CompiledTemplate {
  const parts: string[] = [];
  const slots: SlotName[] = [];
  let last = 0;
  for (const match of html.matchAll(STANDIN_PATTERN)) {
    parts.push(html.slice(last, match.index));
    slots.push(SLOT_BY_STANDIN.get(match[0])!);
    last = match.index + match[0].length;
  }
  parts.push(html.slice(last));
  return { parts, slots };
}

/** The page for one reader. Values must already be HTML-escaped. */
export function fillTemplate(template: CompiledTemplate, values: SlotValues): string {
  const { parts, slots } = template;
  let out = parts[0]!;
  for (let i = 0; i < slots.length; i++) out += values[slots[i]!] + parts[i + 1]!;
  return out;
}

/**
 * A compiled template with its parts already UTF-8 encoded, for a server that writes
 * bytes: filling it is one copy of the page instead of building and encoding a string.
 */
export interface EncodedTemplate {
  parts: Buffer[];
  slots: SlotName[];
  /** Bytes of all parts together. */
  fixedLength: number;
}

export function encodeTemplate(template: CompiledTemplate): EncodedTemplate {
  const parts = template.parts.map((part) => Buffer.from(part, 'utf8'));
  return { parts, slots: template.slots, fixedLength: parts.reduce((sum, part) => sum + part.length, 0) };
}

/** Each slot's value as UTF-8 bytes, encoded on first use (pages repeat slots). */
export function slotEncoder(values: SlotValues): (slot: SlotName) => Buffer {
  const encoded = new Map<SlotName, Buffer>();
  return (slot) => {
    let value = encoded.get(slot);
    if (!value) {
      value = Buffer.from(values[slot], 'utf8');
      encoded.set(slot, value);
    }
    return value;
  };
}

/** The page for one reader, as bytes. Values must already be HTML-escaped. */
export function fillEncodedTemplate(template: EncodedTemplate, values: SlotValues): Buffer {
  const { chunks, length } = fillEncodedParts(template, values);
  return Buffer.concat(chunks, length);
}

/**
 * The same page as its parts in order, the template's own bytes between the reader's values,
 * none copied: a server can write them as they are (one vectored write) instead of copying
 * the whole page into a new buffer for every request.
 */
export function fillEncodedParts(
  template: EncodedTemplate,
  values: SlotValues,
): { chunks: Buffer[]; length: number } {
  const value = slotEncoder(values);
  const chunks: Buffer[] = [template.parts[0]!];
  let length = template.fixedLength;
  for (let i = 0; i < template.slots.length; i++) {
    const bytes = value(template.slots[i]!);
    chunks.push(bytes, template.parts[i + 1]!);
    length += bytes.length;
  }
  return { chunks, length };
}
