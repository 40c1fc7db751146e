/**
 * Helpers shared by the SDK sample generators: walking a call's params with their
 * {@link ParamType}, naming things per language, escaping string literals, and laying out
 * the nested literals of the dynamically typed languages (Node, Python, Ruby, PHP).
 */
import type { ApiCall, ParamType, ParamValue, Params } from '../../../isomorphic/api-call.ts';

/** One parameter with its declared type, in the order the author wrote it. */
export interface Param {
  name: string;
  value: ParamValue;
  type: ParamType;
}

/** Pairs each value with its type from `types`, keeping author order. */
export function paramsOf(values: Params, types: Record<string, ParamType>): Param[] {
  return Object.entries(values).map(([name, value]) => ({
    name,
    value,
    type: types[name] ?? inferType(value),
  }));
}

/** The call's top-level params with their types. */
export function callParams(call: ApiCall): Param[] {
  return paramsOf(call.params, call.operation.params);
}

/** A best guess for values the operation does not describe (nested keys, mostly). */
export function inferType(value: ParamValue): ParamType {
  if (typeof value === 'number') return 'integer';
  if (typeof value === 'boolean') return 'boolean';
  if (Array.isArray(value)) return 'string-list';
  if (typeof value === 'object') return 'string-map';
  return 'string';
}

export function isRecord(value: ParamValue): value is { [key: string]: ParamValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Stripe reads an empty string as "unset this field" (`metadata=` clears all metadata). */
export function isUnset(value: ParamValue): boolean {
  return value === '';
}

export type RangeOp = 'gt' | 'gte' | 'lt' | 'lte';

const RANGE_OPS: readonly string[] = ['gt', 'gte', 'lt', 'lte'];

/** The `{gt, gte, lt, lte}` bounds of a range value, in author order; numbers only. */
export function rangeBounds(value: ParamValue): Array<[RangeOp, number]> {
  if (!isRecord(value)) return [];
  return Object.entries(value).filter(
    (entry): entry is [RangeOp, number] => RANGE_OPS.includes(entry[0]) && typeof entry[1] === 'number',
  );
}

/** Lists are sent as lists; a lone string (other than '') is read as a one-item list. */
export function listItems(value: ParamValue): ParamValue[] {
  return Array.isArray(value) ? value : [value];
}

/** `postal_code` → `PostalCode`, `line1` → `Line1`. */
export function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** `postal_code` → `postalCode`. */
export function camelCase(name: string): string {
  const pascal = pascalCase(name);
  return pascal.charAt(0).toLowerCase() + pascal.slice(1);
}

/** `preferred_locales` → `preferred_locale`, for `addPreferredLocale`-style adders. */
export function singular(name: string): string {
  return name.endsWith('s') && !name.endsWith('ss') ? name.slice(0, -1) : name;
}

/** `customers` → `Customer`, `events` → `Event`: the SDKs' class and type prefix. */
export function resourceClass(call: ApiCall): string {
  return pascalCase(singular(call.operation.resource));
}

/**
 * The variable that holds the result: `customer`, `customers` (a list or search), `deleted`,
 * `event`, `events`; a resource of two words as the language spells names, `webhook_endpoint`
 * (Python, Ruby) or `webhookEndpoint` (`camel`).
 */
export function resultName(call: ApiCall, style: 'snake' | 'camel' = 'snake'): string {
  const spell = (name: string) => (style === 'camel' ? camelCase(name) : name);
  switch (call.operation.action) {
    case 'list':
    case 'search':
      return spell(call.operation.resource);
    case 'delete':
      return 'deleted';
    default:
      return spell(singular(call.operation.resource));
  }
}

// ---------------------------------------------------------------------------------------
// String literals

/**
 * Code points that must not appear raw in a literal: C0/C1 controls, line and paragraph
 * separators (line breaks in JS and C#), and invisible format characters such as bidi
 * overrides, which would make the sample read differently from what it sends.
 */
function needsEscape(cp: number): boolean {
  return (
    cp < 0x20 ||
    (cp >= 0x7f && cp <= 0x9f) ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x2028 && cp <= 0x202e) ||
    (cp >= 0x2060 && cp <= 0x2069) ||
    cp === 0xfeff ||
    (cp >= 0xd800 && cp <= 0xdfff)
  );
}

const SHORT_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export interface QuoteRules {
  quote: '"' | "'";
  /** How to write a code point that {@link needsEscape} and has no short escape. */
  codePoint: (cp: number) => string;
  /** Extra escaping for one character given the one after it (`$` in PHP, `#{` in Ruby). */
  extra?: (ch: string, next: string | undefined) => string | undefined;
}

/** Wraps `text` in `rules.quote`, escaping the quote, backslashes and invisible characters. */
export function quote(text: string, rules: QuoteRules): string {
  const chars = Array.from(text);
  let out = rules.quote;
  chars.forEach((ch, i) => {
    const cp = ch.codePointAt(0)!;
    const extra = rules.extra?.(ch, chars[i + 1]);
    if (extra !== undefined) out += extra;
    else if (ch === '\\' || ch === rules.quote) out += '\\' + ch;
    else if (ch in SHORT_ESCAPES) out += SHORT_ESCAPES[ch];
    else if (needsEscape(cp)) out += rules.codePoint(cp);
    else out += ch;
  });
  return out + rules.quote;
}

export const hex = (cp: number, width: number) => cp.toString(16).toUpperCase().padStart(width, '0');

/** `\xHH` below 0x80 (a byte and a character alike), `\uHHHH` above. */
const byteOrU4 = (cp: number) => (cp < 0x80 ? `\\x${hex(cp, 2)}` : `\\u${hex(cp, 4)}`);
const u4 = (cp: number) => `\\u${hex(cp, 4)}`;

/** JavaScript single-quoted string. */
export const jsString = (text: string) => quote(text, { quote: "'", codePoint: byteOrU4 });

/** Python double-quoted string (Black's preference). */
export const pyString = (text: string) => quote(text, { quote: '"', codePoint: byteOrU4 });

/** Ruby double-quoted string; `#{`, `#$` and `#@` would interpolate, so `#` is escaped there. */
export const rbString = (text: string) =>
  quote(text, {
    quote: '"',
    codePoint: u4,
    extra: (ch, next) => (ch === '#' && next !== undefined && '{$@'.includes(next) ? '\\#' : undefined),
  });

/**
 * PHP string: single-quoted (nothing interpolates; only `\` and `'` are escaped) unless it
 * holds characters that need an escape sequence, which only double quotes understand.
 */
export function phpString(text: string): string {
  const plain = Array.from(text).every((ch) => !needsEscape(ch.codePointAt(0)!));
  if (plain) return quote(text, { quote: "'", codePoint: u4 });
  return quote(text, {
    quote: '"',
    // PHP's `\xHH` is a raw byte, so anything past ASCII goes through `\u{…}`.
    codePoint: (cp) => `\\u{${hex(cp, 4)}}`,
    extra: (ch) => (ch === '$' ? '\\$' : undefined),
  });
}

/** Go interpreted string literal. */
export const goString = (text: string) => quote(text, { quote: '"', codePoint: byteOrU4 });

/**
 * Java string literal. `\uHHHH` is fine for the characters escaped here: `\n` and `\r`,
 * which Java would turn into real line breaks before lexing, always use their short forms.
 */
export const javaString = (text: string) => quote(text, { quote: '"', codePoint: u4 });

/** C# regular string literal (`\x` is variable-length in C#, so always `\uHHHH`). */
export const csString = (text: string) => quote(text, { quote: '"', codePoint: u4 });

// ---------------------------------------------------------------------------------------
// Nested literals for Node, Python, Ruby and PHP

/** How one dynamic language writes maps, lists and scalars. */
export interface LiteralStyle {
  string: (text: string) => string;
  boolean: (value: boolean) => string;
  /** A map key followed by its separator, e.g. `order_id: ` or `'order_id' => `. */
  key: (key: string) => string;
  map: [open: string, close: string];
  list: [open: string, close: string];
  /** Whether an inline map gets spaces inside its braces: `{ order_id: '6735' }`. */
  padInlineMap: boolean;
  indent: string;
}

/** Lines longer than this are broken up. */
const MAX_WIDTH = 80;

/**
 * Renders a param value. Maps and lists of scalars stay on one line when they fit in
 * {@link MAX_WIDTH} counting `column` (where the value starts); anything else is broken
 * into one entry per line with a trailing comma, as Prettier, Black and PHP-CS-Fixer do.
 */
export function renderValue(value: ParamValue, style: LiteralStyle, level: number, column: number): string {
  if (typeof value === 'string') return style.string(value);
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return style.boolean(value);
  const isList = Array.isArray(value);
  const entries = isList ? value.map((item) => ['', item] as const) : Object.entries(value);
  const [open, close] = isList ? style.list : style.map;
  if (entries.length === 0) return open + close;
  const scalarOnly = entries.every(([, item]) => typeof item !== 'object');
  if (scalarOnly) {
    const pad = !isList && style.padInlineMap ? ' ' : '';
    const inline =
      open +
      pad +
      entries
        .map(([key, item]) => (isList ? '' : style.key(key)) + renderValue(item, style, 0, 0))
        .join(', ') +
      pad +
      close;
    // +1 for the comma or bracket that follows the value.
    if (column + inline.length + 1 <= MAX_WIDTH) return inline;
  }
  return renderBlock(entries, style, level, isList);
}

/** A map or list with one entry per line, closed at `level`'s indentation. */
export function renderBlock(
  entries: ReadonlyArray<readonly [string, ParamValue]>,
  style: LiteralStyle,
  level: number,
  isList = false,
): string {
  const [open, close] = isList ? style.list : style.map;
  const inner = style.indent.repeat(level + 1);
  const lines = entries.map(([key, item]) => {
    const head = inner + (isList ? '' : style.key(key));
    return head + renderValue(item, style, level + 1, head.length) + ',';
  });
  return [open, ...lines, style.indent.repeat(level) + close].join('\n');
}

/** The call's params as a multi-line map, the way SDK docs show a request. */
export function renderParams(params: Params, style: LiteralStyle, level = 0): string {
  return renderBlock(Object.entries(params), style, level);
}

export const hasParams = (call: ApiCall) => Object.keys(call.params).length > 0;
