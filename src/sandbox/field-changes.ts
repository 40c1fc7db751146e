import { METADATA_LIMITS, type ObjectRule, type Rule, type Schema } from '../spec/rules.ts';
import { SandboxError } from './errors.ts';
import { messages } from './messages.ts';
import type { Metadata, Validated, Value } from './validate.ts';

/**
 * The fields a create or update sets on its object, from its validated parameters. Each
 * parameter sets the object's field of the same name, shaped as its declaration says:
 * - a hash (an address) shows every declared field, null when not given, and nested
 *   hashes in full; an unset hash is null;
 * - an unset list is empty, and an unset string is null unless the rule names a value;
 * - metadata is merged into the current metadata: `metadata=` clears it, `metadata[k]=`
 *   removes one key.
 * `expand` is not a field. Fields not sent are left out, so an update keeps them.
 */
export function fieldChanges(
  schema: Schema,
  params: Validated,
  currentMetadata: Record<string, string>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(params)) {
    const rule = schema[name];
    if (name === 'expand' || !rule) continue;
    out[name] = fieldValue(rule, value, name, currentMetadata);
  }
  return out;
}

function fieldValue(
  rule: Rule,
  value: Value,
  name: string,
  currentMetadata: Record<string, string>,
): unknown {
  switch (rule.kind) {
    case 'metadata':
      return mergeMetadata(currentMetadata, value as Metadata, name);
    case 'object':
      return value === null ? null : filled(rule, value);
    case 'list':
      return value ?? [];
    case 'string':
      return value ?? rule.unsetValue ?? null;
    default:
      return value;
  }
}

/** A hash as the API shows it: every declared field present, nested hashes in full. */
function filled(rule: ObjectRule, value: Value): Record<string, unknown> {
  const given = (value ?? {}) as Record<string, Value | undefined>;
  return Object.fromEntries(
    Object.entries(rule.fields).map(([field, fieldRule]) => [
      field,
      fieldRule.kind === 'object' ? filled(fieldRule, given[field] ?? {}) : (given[field] ?? null),
    ]),
  );
}

/** Applies a metadata parameter to existing metadata: null clears all, a null value one key. */
function mergeMetadata(
  current: Record<string, string>,
  change: Metadata,
  param: string,
): Record<string, string> {
  if (change === null) return {};
  const next = { ...current };
  for (const [key, value] of Object.entries(change)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  const count = Object.keys(next).length;
  if (count > METADATA_LIMITS.keys) {
    throw new SandboxError(400, messages.metadataTooManyKeys(count), {
      code: 'parameter_invalid_string',
      param,
    });
  }
  return next;
}
