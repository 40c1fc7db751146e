import { TOKENS, type Generator, type ParamValue } from '../../../isomorphic/api-call.ts';
import {
  callParams,
  csString,
  isRecord,
  isUnset,
  listItems,
  paramsOf,
  pascalCase,
  rangeBounds,
  resourceClass,
  resultName,
  type Param,
  type RangeOp,
} from './shared.ts';

const INDENT = '    ';
const MAX_WIDTH = 100;

/** Service method names: retrieving is `Get` in Stripe.net. */
const METHODS = {
  create: 'Create',
  retrieve: 'Get',
  update: 'Update',
  delete: 'Delete',
  list: 'List',
  search: 'Search',
} as const;

const RANGE_PROPS: Record<RangeOp, string> = {
  gt: 'GreaterThan',
  gte: 'GreaterThanOrEqual',
  lt: 'LessThan',
  lte: 'LessThanOrEqual',
};

/** Nested options classes shared across resources; others are `<Resource><Param>Options`. */
const NESTED: Record<string, string> = { address: 'AddressOptions', shipping: 'ShippingOptions' };

const stringValue = (value: ParamValue) =>
  csString(typeof value === 'string' ? value : JSON.stringify(value));

/**
 * Stripe.net takes timestamps as `DateTime` and sends them as Unix seconds; converting from
 * the seconds keeps the author's number visible. (A `DateTime` of kind Unspecified would be
 * read as local time, so it has to be UTC.)
 */
const timestamp = (value: ParamValue) => `DateTimeOffset.FromUnixTimeSeconds(${Number(value)}).UtcDateTime`;

/** `new Type { A = 1, }` as an object initializer with one property per line. */
function initializer(type: string, assignments: string[], level: number): string {
  if (assignments.length === 0) return `new ${type}()`;
  const pad = INDENT.repeat(level);
  const lines = assignments.map((a) => `${pad}${INDENT}${a},`);
  return [`new ${type}`, `${pad}{`, ...lines, `${pad}}`].join('\n');
}

/** A collection initializer, inline when it fits and multi-line otherwise. */
function collection(type: string, items: string[], level: number, column: number): string {
  if (items.length === 0) return `new ${type}()`;
  const inline = `new ${type} { ${items.join(', ')} }`;
  if (column + inline.length + 1 <= MAX_WIDTH) return inline;
  return initializer(type, items, level);
}

interface Built {
  assignments: string[];
  /** Statements on `options` after the initializer, for values with no typed form. */
  statements: string[];
}

/** Property assignments for `params`; `level` is the indentation of the enclosing `new`. */
function build(params: Param[], prefix: string, level: number, formPath: string[]): Built {
  const built: Built = { assignments: [], statements: [] };
  for (const { name, value, type } of params) {
    const prop = pascalCase(name);
    const head = `${prop} = `;
    const column = INDENT.length * (level + 1) + head.length;

    if (isUnset(value)) {
      if (type === 'string') {
        built.assignments.push(`${head}""`);
      } else if (type === 'string-map' || typeof type === 'object') {
        // Since v51, setting one of these to null is tracked and sent as `name=`.
        built.assignments.push(`${head}null`);
      } else if (type === 'string-list') {
        // An empty list is sent as `name=`.
        built.assignments.push(`${head}new List<string>()`);
      } else {
        const formKey = [...formPath, name].map((p, i) => (i === 0 ? p : `[${p}]`)).join('');
        built.statements.push(`options.AddExtraParam(${csString(formKey)}, "");`);
      }
      continue;
    }

    if (typeof type === 'object') {
      const nestedType = NESTED[name] ?? `${prefix}${prop}Options`;
      const inner = build(isRecord(value) ? paramsOf(value, type.object) : [], prefix, level + 1, [
        ...formPath,
        name,
      ]);
      built.statements.push(...inner.statements);
      built.assignments.push(head + initializer(nestedType, inner.assignments, level + 1));
    } else if (type === 'string-map') {
      const entries = isRecord(value)
        ? Object.entries(value).map(([k, v]) => `{ ${csString(k)}, ${stringValue(v)} }`)
        : [];
      built.assignments.push(head + collection('Dictionary<string, string>', entries, level + 1, column));
    } else if (type === 'string-list') {
      const items = listItems(value).map(stringValue);
      built.assignments.push(head + collection('List<string>', items, level + 1, column));
    } else if (type === 'range' && typeof value !== 'number') {
      const bounds = rangeBounds(value).map(([op, n]) => `${RANGE_PROPS[op]} = ${timestamp(n)}`);
      built.assignments.push(head + initializer('DateRangeOptions', bounds, level + 1));
    } else if (type === 'range') {
      built.assignments.push(head + timestamp(value));
    } else if (type === 'integer') {
      built.assignments.push(`${head}${Number(value)}`);
    } else if (type === 'boolean') {
      built.assignments.push(`${head}${value === true || value === 'true'}`);
    } else {
      built.assignments.push(head + stringValue(value));
    }
  }
  return built;
}

/**
 * Stripe.net (NuGet `Stripe.net`, v52) as a top-level-statements program: a `StripeClient`
 * with `apiBase:` set to this site, typed options (`CustomerCreateOptions`, …) and one call
 * through `client.V1`. Timestamps are `DateTime`s; clearing a map or nested object is
 * `= null`. `System` and `System.Collections.Generic` come from the implicit usings of a
 * `dotnet new console` project. Stripe objects print as their type, id and JSON.
 */
export const dotnet: Generator = (call) => {
  const { resource, action } = call.operation;
  const model = resourceClass(call);
  const method = METHODS[action];
  const optionsType = `${model}${method}Options`;
  // The sandbox's delete takes no params.
  const params = action === 'delete' ? [] : callParams(call);
  const built = build(params, model, 0, []);
  const hasOptions = built.assignments.length > 0 || built.statements.length > 0;
  // `event` is a C# keyword.
  const result = resultName(call, 'camel') === 'event' ? 'stripeEvent' : resultName(call, 'camel');
  const type =
    action === 'list' ? `StripeList<${model}>` : action === 'search' ? `StripeSearchResult<${model}>` : model;

  const args: string[] = [];
  if (call.objectId !== undefined) args.push(csString(call.objectId));
  if (hasOptions) args.push('options');

  const lines = [
    'using Stripe;',
    '',
    `var client = new StripeClient(${csString(TOKENS.secretKey)}, apiBase: ${csString(TOKENS.apiBase)});`,
    '',
  ];
  if (hasOptions) {
    lines.push(`var options = ${initializer(optionsType, built.assignments, 0)};`, ...built.statements);
  }
  lines.push(
    `${type} ${result} = client.V1.${pascalCase(resource)}.${method}(${args.join(', ')});`,
    `Console.WriteLine(${result});`,
  );
  return lines.join('\n');
};
