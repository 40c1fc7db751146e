import {
  DEFAULT_MAX_ITEMS,
  DEFAULT_MAX_LENGTH,
  METADATA_LIMITS,
  type Rule,
  type Schema,
  type StringRule,
} from '../../spec/rules.ts';

/** One row of a parameter table: a parameter as it is written on the wire, and what it takes. */
export interface ParameterRow {
  /** As sent: `email`, `address[city]`, `expand[]`, `created[gte]`. */
  name: string;
  type: string;
  required: boolean;
  /** Limits and accepted values, in words; `code` in backticks. */
  constraints: string[];
  description: string;
  /** The keys of a hash parameter (`address[…]`, `metadata[…]`, `created[…]`). */
  children: ParameterRow[];
}

const count = (n: number) => n.toLocaleString('en-US');

const RANGE_BOUNDS = {
  gt: 'After this Unix time.',
  gte: 'At this Unix time or after.',
  lt: 'Before this Unix time.',
  lte: 'At this Unix time or before.',
} as const;

function unsetNote(rule: StringRule): string {
  return rule.unsetValue ? `An empty string sets \`${rule.unsetValue}\`.` : 'An empty string unsets it.';
}

function stringConstraints(rule: StringRule): string[] {
  return [
    ...(rule.oneOf
      ? [`One of ${rule.oneOf.map((value) => `\`${value}\``).join(', ')}.`]
      : [`Up to ${count(rule.max ?? DEFAULT_MAX_LENGTH)} characters.`]),
    ...(rule.format === 'email' ? ['An email address: one `@`, a domain with a dot, no spaces.'] : []),
    ...(rule.pattern ? [`Matches \`${rule.pattern.regex.source}\`.`] : []),
    ...(rule.unsettable ? [unsetNote(rule)] : []),
  ];
}

function integerConstraints(min: number | undefined, max: number | undefined): string[] {
  if (min !== undefined && max !== undefined) return [`From ${count(min)} to ${count(max)}.`];
  if (min !== undefined) return [`At least ${count(min)}.`];
  if (max !== undefined) return [`At most ${count(max)}.`];
  return [];
}

/** The row of one parameter, and of its keys when it is a hash. */
export function parameterRow(name: string, rule: Rule, required: boolean): ParameterRow {
  const row = { name, required, description: rule.description, children: [] as ParameterRow[] };
  switch (rule.kind) {
    case 'string':
      return { ...row, type: rule.format ?? 'string', constraints: stringConstraints(rule) };
    case 'integer':
      return { ...row, type: 'integer', constraints: integerConstraints(rule.min, rule.max) };
    case 'list':
      return {
        ...row,
        name: `${name}[]`,
        type: 'array of strings',
        constraints: [
          rule.min
            ? `From ${count(rule.min)} to ${count(rule.max ?? DEFAULT_MAX_ITEMS)} items.`
            : `Up to ${count(rule.max ?? DEFAULT_MAX_ITEMS)} items.`,
          ...(rule.oneOf ? [`Each one of ${rule.oneOf.map((value) => `\`${value}\``).join(', ')}.`] : []),
          ...(rule.unsettable ? ['An empty string empties it.'] : []),
        ],
      };
    case 'metadata':
      return {
        ...row,
        type: 'hash of strings',
        constraints: [`Up to ${METADATA_LIMITS.keys} keys.`, 'An empty string removes every key.'],
        children: [
          {
            name: `${name}[<key>]`,
            type: 'string',
            required: false,
            constraints: [
              `Keys up to ${METADATA_LIMITS.keyLength} characters, without \`[\` or \`]\`.`,
              `Values up to ${METADATA_LIMITS.valueLength} characters.`,
              'An empty string removes the key.',
            ],
            description: 'One key and its value.',
            children: [],
          },
        ],
      };
    case 'object':
      return {
        ...row,
        type: 'hash',
        constraints: rule.unsettable ? ['An empty string unsets it.'] : [],
        children: Object.entries(rule.fields).map(([key, field]) =>
          parameterRow(`${name}[${key}]`, field, rule.required?.includes(key) ?? false),
        ),
      };
    case 'range':
      return {
        ...row,
        type: 'integer or hash',
        constraints: [],
        children: Object.entries(RANGE_BOUNDS).map(([bound, description]) => ({
          name: `${name}[${bound}]`,
          type: 'integer',
          required: false,
          constraints: [],
          description,
          children: [],
        })),
      };
  }
}

/** An operation's parameter table: its parameters in declaration order. */
export function parameterRows(params: Schema, required: readonly string[] = []): ParameterRow[] {
  return Object.entries(params).map(([name, rule]) => parameterRow(name, rule, required.includes(name)));
}
