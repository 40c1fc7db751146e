import { SandboxError } from './errors.ts';
import { messages } from './messages.ts';
import {
  OPERATORS_BY_TYPE,
  SEARCH_LIMITS,
  type SearchFieldType,
  type SearchOperator,
} from '../spec/search.ts';

/** One clause: `-metadata["plan"]:"pro"` is a negated token match on metadata key `plan`. */
export interface SearchClause {
  field: string;
  /** The metadata key, for `metadata["key"]`. */
  key?: string;
  type: SearchFieldType;
  negated: boolean;
  operator: SearchOperator;
  /** A string (string and token fields), an integer (numeric fields), or null: "not set". */
  value: string | number | null;
}

/** A parsed query: its clauses and how they combine (a space is AND). */
export interface SearchQuery {
  join: 'AND' | 'OR';
  clauses: SearchClause[];
}

/** What a clause looks like before its field is checked against the resource's. */
interface RawClause {
  field: string;
  key?: string;
  negated: boolean;
  operator: SearchOperator;
  value: { kind: 'quoted'; text: string } | { kind: 'number'; text: string } | { kind: 'null' };
  /** The clause as written, for messages. */
  source: string;
}

/** Every search error is a 400 about `query`, with one code (see the error reference). */
function refuse(message: string): SandboxError {
  return new SandboxError(400, message, { code: 'search_query_invalid', param: 'query' });
}

const FIELD = /[A-Za-z_][A-Za-z0-9_]*/y;
const OPERATOR = />=|<=|[:~=<>]/y;
const NUMBER = /-?\d{1,16}(?![^\s])/y;
const NULL = /null(?![^\s])/iy;
const SPACE = /\s+/y;
const CONNECTOR = /(AND|OR)(?=\s)/iy;

/**
 * A hand-written scanner over the query: the language is a flat list of clauses with no
 * parentheses or precedence, so a parser library would add more than it saves. Sticky
 * regular expressions (`y`) read one token at `pos` without copying the rest of the input.
 */
class Scanner {
  pos = 0;
  readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  get done(): boolean {
    return this.pos >= this.text.length;
  }

  /** Reads `pattern` at the current position, or returns undefined and stays put. */
  read(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.pos;
    const match = pattern.exec(this.text);
    if (!match) return undefined;
    this.pos += match[0].length;
    return match[1] ?? match[0];
  }

  /** Reads one character if it is `char`. */
  eat(char: string): boolean {
    if (this.text[this.pos] !== char) return false;
    this.pos++;
    return true;
  }

  /** A string in double or single quotes; a backslash takes the next character as it is. */
  quoted(): string | undefined {
    const quote = this.text[this.pos];
    if (quote !== '"' && quote !== "'") return undefined;
    let out = '';
    for (let i = this.pos + 1; i < this.text.length; i++) {
      const char = this.text[i]!;
      if (char === quote) {
        this.pos = i + 1;
        return out;
      }
      if (char === '\\') {
        i++;
        if (i >= this.text.length) break;
        out += this.text[i];
      } else out += char;
    }
    throw refuse(messages.searchUnparsable);
  }
}

function rawClause(scanner: Scanner): RawClause {
  const start = scanner.pos;
  const negated = scanner.eat('-');
  const field = scanner.read(FIELD);
  if (field === undefined) throw refuse(messages.searchUnparsable);
  let key: string | undefined;
  if (scanner.eat('[')) {
    key = scanner.quoted();
    if (key === undefined || !scanner.eat(']')) throw refuse(messages.searchUnparsable);
  }
  const operator = scanner.read(OPERATOR) as SearchOperator | undefined;
  if (operator === undefined) throw refuse(messages.searchUnparsable);
  const quoted = scanner.quoted();
  let value: RawClause['value'];
  if (quoted !== undefined) value = { kind: 'quoted', text: quoted };
  else if (scanner.read(NULL) !== undefined) value = { kind: 'null' };
  else {
    const number = scanner.read(NUMBER);
    if (number === undefined) throw refuse(messages.searchUnparsable);
    value = { kind: 'number', text: number };
  }
  const clause: RawClause = {
    field,
    negated,
    operator,
    value,
    source: scanner.text.slice(start, scanner.pos),
  };
  if (key !== undefined) clause.key = key;
  return clause;
}

/** Checks a clause against the resource's fields and types its value. */
function typed(raw: RawClause, fields: Record<string, SearchFieldType>, resource: string): SearchClause {
  const type = Object.hasOwn(fields, raw.field) ? fields[raw.field] : undefined;
  if (!type) throw refuse(messages.searchUnsupportedField(raw.field, resource, Object.keys(fields)));
  // Only metadata is a map, searched by key; a key on any other field is not the language.
  if ((type === 'token') !== (raw.key !== undefined)) throw refuse(messages.searchUnparsable);
  if (!OPERATORS_BY_TYPE[type].includes(raw.operator))
    throw refuse(messages.searchUnsupportedOperator(raw.operator, raw.field, type, OPERATORS_BY_TYPE[type]));
  const clause: SearchClause = {
    field: raw.field,
    type,
    negated: raw.negated,
    operator: raw.operator,
    value: null,
  };
  if (raw.key !== undefined) clause.key = raw.key;
  const { value } = raw;
  if (value.kind === 'null') {
    if (type === 'numeric' || raw.operator !== ':') throw refuse(messages.searchNullValue(raw.source));
  } else if (type === 'numeric') {
    // "Quotation marks are optional for numeric values."
    if (!/^-?\d{1,16}$/.test(value.text)) throw refuse(messages.searchNumericValue(raw.field, raw.source));
    clause.value = Number(value.text);
  } else {
    if (value.kind !== 'quoted') throw refuse(messages.searchQuoteStrings(raw.field, raw.source));
    if (raw.operator === '~' && Array.from(value.text).length < SEARCH_LIMITS.substringMin)
      throw refuse(messages.searchSubstringTooShort(raw.source, SEARCH_LIMITS.substringMin));
    clause.value = value.text;
  }
  return clause;
}

/**
 * Parses a search query in Stripe's language, refusing with Stripe's messages (400,
 * `search_query_invalid`, param `query`): unparsable text, an unknown field, an operator
 * the field's type does not take, a substring under 3 characters, AND mixed with OR, more
 * than 10 clauses. The length limit is the `query` parameter's own (see the declaration).
 */
export function parseSearchQuery(
  text: string,
  fields: Record<string, SearchFieldType>,
  resource: string,
): SearchQuery {
  const scanner = new Scanner(text);
  scanner.read(SPACE);
  const raws: RawClause[] = [];
  const joins = new Set<'AND' | 'OR'>();
  while (!scanner.done) {
    if (raws.length === SEARCH_LIMITS.clauses)
      throw refuse(messages.searchTooManyClauses(SEARCH_LIMITS.clauses));
    raws.push(rawClause(scanner));
    if (scanner.done) break;
    // Clauses are apart: `email:"a"name:"b"` is not two clauses.
    if (scanner.read(SPACE) === undefined) throw refuse(messages.searchUnparsable);
    if (scanner.done) break;
    const connector = scanner.read(CONNECTOR);
    if (connector !== undefined) {
      joins.add(connector.toUpperCase() as 'AND' | 'OR');
      scanner.read(SPACE);
    } else joins.add('AND');
    if (joins.size > 1) throw refuse(messages.searchMixedConnectors);
    if (scanner.done) throw refuse(messages.searchUnparsable);
  }
  if (raws.length === 0) throw refuse(messages.searchUnparsable);
  return {
    join: joins.has('OR') ? 'OR' : 'AND',
    clauses: raws.map((raw) => typed(raw, fields, resource)),
  };
}
