import { messages } from './messages.ts';
import { SandboxError } from './errors.ts';
import type { Decoded, DecodedValue } from './params.ts';
import {
  DEFAULT_MAX_ITEMS,
  DEFAULT_MAX_LENGTH,
  EMAIL_PATTERN,
  METADATA_LIMITS,
  type IntegerRule,
  type Rule,
  type Schema,
} from '../spec/rules.ts';

export type { Rule, Schema } from '../spec/rules.ts';

/*
 * Validation turns decoded form values into typed ones, following the rules the API
 * declaration gives each parameter, or fails with Stripe's error for the first bad one
 * (naming it in `param`). An empty string means "unset" where the rule says so, and
 * becomes null.
 */

export type Value = string | number | null | string[] | Range | Metadata | { [key: string]: Value };
export type Metadata = { [key: string]: string | null } | null;
export type Range = { gt?: number; gte?: number; lt?: number; lte?: number };
export type Validated = Record<string, Value>;

/** Checks every parameter against the schema; unknown ones are refused by name. */
export function validate(params: Decoded, schema: Schema, prefix = ''): Validated {
  const out: Validated = {};
  for (const [name, raw] of Object.entries(params)) {
    // Own keys only: `constructor` or `toString` would otherwise find Object.prototype's.
    const rule = Object.hasOwn(schema, name) ? schema[name] : undefined;
    const path = prefix ? `${prefix}[${name}]` : name;
    if (!rule)
      throw new SandboxError(400, messages.unknownParameter(path), {
        code: 'parameter_unknown',
        param: path,
      });
    out[name] = check(raw, rule, path);
  }
  return out;
}

function check(raw: DecodedValue, rule: Rule, path: string): Value {
  switch (rule.kind) {
    case 'string':
      return checkString(raw, rule, path);
    case 'integer':
      return checkInteger(raw, rule, path);
    case 'metadata':
      return checkMetadata(raw, path);
    case 'list':
      return checkList(raw, rule, path);
    case 'object':
      return checkObject(raw, rule, path);
    case 'range':
      return checkRange(raw, path);
  }
}

function invalid(message: string, path: string, code = 'parameter_invalid_string'): SandboxError {
  return new SandboxError(400, message, { code, param: path });
}

function checkString(
  raw: DecodedValue,
  rule: Extract<Rule, { kind: 'string' }>,
  path: string,
): string | null {
  if (typeof raw !== 'string') throw invalid(messages.expectedString(path), path);
  if (raw === '') {
    if (rule.unsettable) return null;
    throw invalid(messages.emptyNotAllowed(path), path, 'parameter_invalid_empty');
  }
  const max = rule.max ?? DEFAULT_MAX_LENGTH;
  if (raw.length > max) throw invalid(messages.stringTooLong(path, max), path);
  // PostgreSQL text cannot hold NUL, and these values reach its columns and filters.
  if (raw.includes('\0')) throw invalid(messages.nulCharacter(path), path);
  if (rule.oneOf && !rule.oneOf.includes(raw)) throw invalid(messages.oneOf(path, rule.oneOf), path);
  if (rule.pattern && !rule.pattern.regex.test(raw)) throw invalid(rule.pattern.message, path);
  if (rule.format === 'email' && !EMAIL_PATTERN.test(raw))
    throw invalid(messages.invalidEmail(raw), path, 'email_invalid');
  return raw;
}

function checkInteger(raw: DecodedValue, rule: Extract<Rule, { kind: 'integer' }>, path: string): number {
  if (typeof raw !== 'string')
    throw invalid(messages.invalidInteger(JSON.stringify(raw)), path, 'parameter_invalid_integer');
  if (raw === '') throw invalid(messages.emptyNotAllowed(path), path, 'parameter_invalid_empty');
  const value = /^-?\d{1,16}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value))
    throw invalid(messages.invalidInteger(raw), path, 'parameter_invalid_integer');
  if (rule.max !== undefined && value > rule.max) {
    throw invalid(messages.integerTooLarge(rule.max), path, 'parameter_invalid_integer');
  }
  if (rule.min !== undefined && value < rule.min) {
    throw invalid(messages.integerTooSmall(rule.min), path, 'parameter_invalid_integer');
  }
  return value;
}

/**
 * Metadata: string keys to string values. `metadata=` (empty) clears all keys (null);
 * `metadata[k]=` unsets one key (its value null). Limits as Stripe's: 50 keys, keys up to
 * 40 characters without brackets, values up to 500.
 */
function checkMetadata(raw: DecodedValue, path: string): Metadata {
  if (raw === '') return null;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalid(messages.expectedObject(path), path);
  const entries = Object.entries(raw);
  if (entries.length > METADATA_LIMITS.keys)
    throw invalid(messages.metadataTooManyKeys(entries.length), path);
  const out: { [key: string]: string | null } = {};
  for (const [key, value] of entries) {
    if (/[[\]]/.test(key)) throw invalid(messages.metadataKeyBrackets(key), path);
    if (key.length > METADATA_LIMITS.keyLength) throw invalid(messages.metadataKeyTooLong(key), path);
    if (typeof value !== 'string')
      throw invalid(messages.expectedString(`${path}[${key}]`), `${path}[${key}]`);
    if (value.length > METADATA_LIMITS.valueLength)
      throw invalid(messages.metadataValueTooLong(value.slice(0, 40) + '…'), `${path}[${key}]`);
    out[key] = value === '' ? null : value;
  }
  return out;
}

function checkList(raw: DecodedValue, rule: Extract<Rule, { kind: 'list' }>, path: string): string[] | null {
  if (raw === '' && rule.unsettable) return null;
  // A list that must hold something cannot be emptied: say so, rather than blame item 0.
  if (raw === '' && rule.min) throw invalid(messages.emptyNotAllowed(path), path, 'parameter_invalid_empty');
  // qs makes `x[0]=a&x[1]=b` a list; indexes it could not place (gaps, > 100) a hash.
  const items = Array.isArray(raw) ? raw : typeof raw === 'object' && raw !== null ? null : [raw];
  if (!items) throw invalid(messages.expectedList(path), path);
  if (items.length > (rule.max ?? DEFAULT_MAX_ITEMS)) throw invalid(messages.expectedList(path), path);
  if (rule.min && items.length < rule.min) throw invalid(messages.tooFewItems(path, rule.min), path);
  return items.map((item, index) => {
    if (typeof item !== 'string' || item === '')
      throw invalid(messages.expectedString(`${path}[${index}]`), `${path}[${index}]`);
    if (item.includes('\0')) throw invalid(messages.nulCharacter(`${path}[${index}]`), `${path}[${index}]`);
    if (rule.oneOf && !rule.oneOf.includes(item))
      throw invalid(messages.oneOf(`${path}[${index}]`, rule.oneOf), `${path}[${index}]`);
    return item;
  });
}

function checkObject(
  raw: DecodedValue,
  rule: Extract<Rule, { kind: 'object' }>,
  path: string,
): { [key: string]: Value } | null {
  if (raw === '' && rule.unsettable) return null;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalid(messages.expectedObject(path), path);
  const out = validate(raw, rule.fields, path);
  for (const required of rule.required ?? []) {
    if (out[required] === undefined || out[required] === null) {
      const param = `${path}[${required}]`;
      throw new SandboxError(400, messages.missingParameter(param), { code: 'parameter_missing', param });
    }
  }
  return out;
}

/** One bound of a range, or a range given as one integer. */
const BOUND: IntegerRule = { kind: 'integer', description: 'A Unix time.' };

function checkRange(raw: DecodedValue, path: string): number | Range {
  if (typeof raw === 'string') return checkInteger(raw, BOUND, path);
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalid(messages.expectedObject(path), path);
  const out = validate(raw, { gt: BOUND, gte: BOUND, lt: BOUND, lte: BOUND }, path);
  return out as Range;
}
