import type { SearchClause, SearchQuery } from './search-query.ts';

/**
 * Case-insensitive comparison for every script, not only ASCII: compatibility-normalised
 * (full-width letters read as their plain forms) and lower-cased. This is why matching
 * happens here and not in SQL: SQLite's lower() and LIKE fold ASCII letters only, so the
 * two databases would disagree about `name:"élodie"`.
 */
const fold = (text: string) => text.normalize('NFKC').toLowerCase();

const words = (text: string) => fold(text).split(/\s+/).filter(Boolean);

/** Stripe's exact match on a string field: the value's words appear in the field, in order. */
function hasWords(field: string, value: string): boolean {
  const wanted = words(value);
  if (wanted.length === 0) return fold(field).trim() === '';
  const have = words(field);
  for (let start = 0; start + wanted.length <= have.length; start++) {
    if (wanted.every((word, i) => have[start + i] === word)) return true;
  }
  return false;
}

/** The value a clause is about: a top-level field, or one key of a map such as metadata. */
function fieldValue(object: Record<string, unknown>, clause: SearchClause): unknown {
  const value = Object.hasOwn(object, clause.field) ? object[clause.field] : null;
  if (clause.key === undefined) return value ?? null;
  if (typeof value !== 'object' || value === null) return null;
  return Object.hasOwn(value, clause.key) ? (value as Record<string, unknown>)[clause.key] : null;
}

function compare(actual: number, operator: SearchClause['operator'], wanted: number): boolean {
  switch (operator) {
    case '>':
      return actual > wanted;
    case '<':
      return actual < wanted;
    case '>=':
      return actual >= wanted;
    case '<=':
      return actual <= wanted;
    default:
      return actual === wanted;
  }
}

function clauseMatches(object: Record<string, unknown>, clause: SearchClause): boolean {
  const actual = fieldValue(object, clause);
  const { value } = clause;
  let result: boolean;
  if (value === null) result = actual === null;
  else if (typeof value === 'number')
    result = typeof actual === 'number' && compare(actual, clause.operator, value);
  else if (typeof actual !== 'string') result = false;
  else if (clause.operator === '~') result = fold(actual).includes(fold(value));
  else if (clause.type === 'token') result = fold(actual) === fold(value);
  else result = hasWords(actual, value);
  return clause.negated ? !result : result;
}

/** Whether an object (as the API returns it) matches a parsed query. */
export function matchesSearch(object: Record<string, unknown>, query: SearchQuery): boolean {
  return query.join === 'OR'
    ? query.clauses.some((clause) => clauseMatches(object, clause))
    : query.clauses.every((clause) => clauseMatches(object, clause));
}
