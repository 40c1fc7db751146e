/**
 * The vocabulary the API declaration describes parameters in. Parameters arrive in
 * Stripe's wire format: form-encoded strings with brackets for nesting (`metadata[k]=v`,
 * `expand[]=x`), where an empty string means "unset" for the fields that allow it. The
 * sandbox validates against these rules, the samples take their types from them, and the
 * OpenAPI document turns them into JSON Schema.
 */

/** What every rule carries: the words the reference shows beside it. */
interface Described {
  description: string;
}

export type StringRule = Described & {
  kind: 'string';
  /** At most this many characters (5,000 when unset, as Stripe). */
  max?: number;
  /** The only values accepted. */
  oneOf?: readonly string[];
  /** A shape the value must match, and the message that refuses one that does not. */
  pattern?: { regex: RegExp; message: string };
  /** A well-known format, checked with Stripe's message for it. */
  format?: 'email';
  /** An empty string unsets the field (it becomes null). */
  unsettable?: boolean;
  /** What unsetting sets instead of null, for fields that always hold a value. */
  unsetValue?: string;
};

export type IntegerRule = Described & { kind: 'integer'; min?: number; max?: number };

/** String keys to string values: 50 keys, keys up to 40 characters, values up to 500. */
export type MetadataRule = Described & { kind: 'metadata' };

/** A list of non-empty strings (`expand[]=a&expand[]=b`); unsetting one empties it. */
export type ListRule = Described & {
  kind: 'list';
  max?: number;
  /** At least this many items; an empty string is then refused as an empty value. */
  min?: number;
  /** The only values an item may take. */
  oneOf?: readonly string[];
  unsettable?: boolean;
};

export type ObjectRule = Described & {
  kind: 'object';
  fields: Record<string, Rule>;
  required?: readonly string[];
  unsettable?: boolean;
};

/** An integer, or a hash with gt, gte, lt, lte (list filters such as `created`). */
export type RangeRule = Described & { kind: 'range' };

export type Rule = StringRule | IntegerRule | MetadataRule | ListRule | ObjectRule | RangeRule;

/** An operation's parameters by name. */
export type Schema = Record<string, Rule>;

/** Stripe's limits for metadata, shared by the validator and the schema. */
export const METADATA_LIMITS = { keys: 50, keyLength: 40, valueLength: 500 } as const;

/** The longest string a parameter takes when its rule names no maximum. */
export const DEFAULT_MAX_LENGTH = 5000;

/** The most items a list parameter takes when its rule names no maximum. */
export const DEFAULT_MAX_ITEMS = 100;

/**
 * A plain email address: no spaces, one `@`, and a domain with a dot. Stripe refuses
 * `otameshi@com`, `odatakeryu`, a leading space and a full-width `＠`; so does this.
 */
export const EMAIL_PATTERN = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$/;

/** `expand[]`: which fields of the returned object to expand. */
export const expandRule = (what: string): ListRule => ({
  kind: 'list',
  max: 20,
  description: `Fields of the ${what} to expand, each a path such as \`default_source\`.`,
});

/** The parameters every list operation shares: page size, cursors and the `created` filter. */
export const LIST_PARAMS: Schema = {
  created: {
    kind: 'range',
    description:
      'Only objects created at this Unix time, or in the range given with `created[gt]`, `created[gte]`, `created[lt]` and `created[lte]`.',
  },
  ending_before: {
    kind: 'string',
    max: 64,
    description:
      'A cursor: the id of an object, to get the page of objects created just after it (newer). Use it to page backwards.',
  },
  limit: {
    kind: 'integer',
    min: 1,
    max: 100,
    description: 'How many objects to return, between 1 and 100. The default is 10.',
  },
  starting_after: {
    kind: 'string',
    max: 64,
    description:
      'A cursor: the id of an object, to get the page of objects created just before it (older). Pass the last id of a page to get the next.',
  },
};
