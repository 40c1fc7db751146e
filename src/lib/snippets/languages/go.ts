import {
  TOKENS,
  type ActionName,
  type ApiCall,
  type Generator,
  type ParamValue,
} from '../../../isomorphic/api-call.ts';
import {
  callParams,
  camelCase,
  goString,
  isRecord,
  isUnset,
  listItems,
  paramsOf,
  pascalCase,
  rangeBounds,
  resourceClass,
  resultName,
  singular,
  type Param,
  type RangeOp,
} from './shared.ts';

/** A `Key: value` line of a composite literal; `value` may span several lines. */
interface Field {
  key: string;
  value: string;
}

/** What the params turn into: literal fields plus statements run on `params` afterwards. */
interface Built {
  fields: Field[];
  statements: string[];
}

const RANGE_FIELDS: Record<RangeOp, string> = {
  gt: 'GreaterThan',
  gte: 'GreaterThanOrEqual',
  lt: 'LesserThan',
  lte: 'LesserThanOrEqual',
};

/**
 * Params that live on the embedded `stripe.ListParams` or `stripe.SearchParams`, so they
 * are set after the literal (a composite literal cannot name a promoted field).
 */
const EMBEDDED_PARAMS: Partial<Record<ActionName, ReadonlySet<string>>> = {
  list: new Set(['limit', 'starting_after', 'ending_before']),
  search: new Set(['query', 'limit']),
};

/** Fields that stripe-go v86 clears with `AddUnsetField` (it sends them as `field=`). */
const UNSETTABLE: Record<string, readonly string[]> = {
  customers: ['address', 'business_name', 'individual_name', 'metadata', 'shipping', 'tax_exempt'],
};

/** Field names stripe-go spells with Go's initialisms rather than in plain Pascal case. */
const GO_FIELD_NAMES: Record<string, string> = { url: 'URL', api_version: 'APIVersion' };

const tabs = (level: number) => '\t'.repeat(level);

/**
 * A composite literal laid out as gofmt does: one field per line, and the values of
 * consecutive single-line fields aligned in a column (a multi-line field breaks the run).
 */
function literal(type: string, fields: Field[], level: number): string {
  if (fields.length === 0) return `${type}{}`;
  const lines: string[] = [];
  let run: Field[] = [];
  const flush = () => {
    const width = Math.max(...run.map((field) => field.key.length));
    for (const field of run) {
      lines.push(`${tabs(level + 1)}${(field.key + ':').padEnd(width + 2)}${field.value},`);
    }
    run = [];
  };
  for (const field of fields) {
    if (field.value.includes('\n')) {
      flush();
      lines.push(`${tabs(level + 1)}${field.key}: ${field.value},`);
    } else {
      run.push(field);
    }
  }
  flush();
  return `${type}{\n${lines.join('\n')}\n${tabs(level)}}`;
}

const stringValue = (value: ParamValue) =>
  goString(typeof value === 'string' ? value : JSON.stringify(value));

/** Go param struct types are named after their path: `CustomerCreateShippingParams`. */
function nestedType(prefix: string, name: string): string {
  // Every address param shares stripe.AddressParams.
  return name === 'address' ? 'AddressParams' : `${prefix}${pascalCase(name)}Params`;
}

/**
 * Builds the fields for `params` at nesting `level` (the indentation of the literal's
 * opening line). `formPath` is the form-encoded name of the enclosing object, used for
 * values that only `AddExtra` can express.
 */
function build(call: ApiCall, params: Param[], typePrefix: string, level: number, formPath: string[]): Built {
  const built: Built = { fields: [], statements: [] };
  const { resource, action } = call.operation;
  const isList = action === 'list';
  const topLevel = formPath.length === 0;

  for (const { name, value, type } of params) {
    const key = GO_FIELD_NAMES[name] ?? pascalCase(name);
    const formKey = [...formPath, name].map((part, i) => (i === 0 ? part : `[${part}]`)).join('');

    if (isUnset(value)) {
      if (topLevel && !isList && UNSETTABLE[resource]?.includes(name)) {
        const constant = `${resourceClass(call)}${pascalCase(action)}ParamsUnsetField${key}`;
        built.statements.push(`params.AddUnsetField(stripe.${constant})`);
        continue;
      }
      if (type !== 'string') {
        // No typed way to send '' here: add it as a raw form value.
        built.statements.push(
          isList
            ? `params.Filters.AddFilter(${goString(formKey)}, "", "")`
            : `params.AddExtra(${goString(formKey)}, "")`,
        );
        continue;
      }
      // Other strings: stripe.String("") is sent as `name=`.
    }

    let field: Field;
    if (typeof type === 'object') {
      const inner = isRecord(value) ? paramsOf(value, type.object) : [];
      const innerPrefix = `${typePrefix}${key}`;
      const nested = build(call, inner, innerPrefix, level + 1, [...formPath, name]);
      built.statements.push(...nested.statements);
      field = { key, value: literal(`&stripe.${nestedType(typePrefix, name)}`, nested.fields, level + 1) };
    } else if (type === 'string-map') {
      const entries = isRecord(value)
        ? Object.entries(value).map(([k, v]) => `${goString(k)}: ${stringValue(v)}`)
        : [];
      field = { key, value: `map[string]string{${entries.join(', ')}}` };
    } else if (type === 'string-list') {
      const items = listItems(value).map((item) => `stripe.String(${stringValue(item)})`);
      field = { key, value: `[]*string{${items.join(', ')}}` };
    } else if (type === 'range' && typeof value !== 'number') {
      // An integer is `Created`; a {gt, gte, lt, lte} object is the separate `CreatedRange`.
      const bounds = rangeBounds(value).map(([op, n]) => `${RANGE_FIELDS[op]}: ${n}`);
      field = { key: `${key}Range`, value: `&stripe.RangeQueryParams{${bounds.join(', ')}}` };
    } else if (type === 'integer' || type === 'range') {
      field = { key, value: `stripe.Int64(${Number(value)})` };
    } else if (type === 'boolean') {
      field = { key, value: `stripe.Bool(${value === true || value === 'true'})` };
    } else if (topLevel && action === 'search' && name === 'query') {
      // SearchParams.Query is a plain string, not a pointer.
      field = { key, value: stringValue(value) };
    } else {
      field = { key, value: `stripe.String(${stringValue(value)})` };
    }

    if (topLevel && EMBEDDED_PARAMS[action]?.has(name)) {
      built.statements.push(`params.${field.key} = ${field.value}`);
    } else {
      built.fields.push(field);
    }
  }
  return built;
}

/** What to print for one object: its id, plus the type for events. */
function describe(call: ApiCall, variable: string): string {
  return call.operation.resource === 'events'
    ? `fmt.Println(${variable}.ID, ${variable}.Type)`
    : `fmt.Println(${variable}.ID)`;
}

/**
 * stripe-go v86: a complete `package main` that builds backends whose URL is this site,
 * hands them to `stripe.NewClient`, and makes one call on the client's `V1…` services.
 * Optional params are pointers (`stripe.String`, `stripe.Int64`); a created range is the
 * separate `CreatedRange` field; list paging params live on the embedded `ListParams`, and
 * a search's query and limit on `SearchParams`, so they are assigned after the literal.
 * `List` and `Search` return a list that has already fetched its first page, read here
 * with `Data()` so the sample prints one page like the others.
 */
export const go: Generator = (call) => {
  const { resource, action } = call.operation;
  const method = pascalCase(action);
  const service = `sc.V1${pascalCase(resource)}`;
  const paramsType = `${resourceClass(call)}${method}Params`;
  const built = build(call, callParams(call), `${resourceClass(call)}${method}`, 0, []);
  const result = resultName(call, 'camel');

  // Statements of main(), written at indentation 0 and indented once at the end.
  const body: string[] = [
    'b := stripe.NewBackendsWithConfig(&stripe.BackendConfig{',
    `\tURL: stripe.String(${goString(TOKENS.apiBase)}),`,
    '})',
    `sc := stripe.NewClient(${goString(TOKENS.secretKey)}, stripe.WithBackends(b))`,
    '',
  ];
  let paramsArg = 'nil';
  if (built.fields.length > 0 || built.statements.length > 0) {
    body.push(`params := ${literal(`&stripe.${paramsType}`, built.fields, 0)}`, ...built.statements);
    paramsArg = 'params';
  }
  const args = ['context.TODO()'];
  if (call.objectId !== undefined) args.push(goString(call.objectId));
  args.push(paramsArg);

  if (action === 'list' || action === 'search') {
    const item = camelCase(singular(resource));
    body.push(
      `${result} := ${service}.${method}(${args.join(', ')})`,
      `if err := ${result}.Err(); err != nil {`,
      '\tlog.Fatal(err)',
      '}',
      action === 'list'
        ? `// Data() is the first page; range over ${result}.All(context.TODO()) to get every page.`
        : "// Data() is the first page of results; its NextPage is the next page's cursor.",
      `for _, ${item} := range ${result}.Data() {`,
      `\t${describe(call, item)}`,
      '}',
    );
  } else {
    body.push(
      `${result}, err := ${service}.${method}(${args.join(', ')})`,
      'if err != nil {',
      '\tlog.Fatal(err)',
      '}',
      action === 'delete' ? `fmt.Println(${result}.ID, ${result}.Deleted)` : describe(call, result),
    );
  }

  return [
    'package main',
    '',
    'import (',
    '\t"context"',
    '\t"fmt"',
    '\t"log"',
    '',
    '\t"github.com/stripe/stripe-go/v86"',
    ')',
    '',
    'func main() {',
    ...body.map((line) => (line === '' ? '' : line.replace(/^/gm, '\t'))),
    '}',
  ].join('\n');
};
