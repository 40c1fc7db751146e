/**
 * The search query language, as far as the sandbox speaks it: Stripe's clauses
 * (`field` `operator` `value`) on the fields each searchable resource declares here.
 */

/**
 * How a field is matched. `string`: `:` finds the words of the value in the same order
 * (case-insensitive), `~` a substring of at least 3 characters. `token`: `:` is a whole,
 * case-insensitive match (metadata values). `numeric`: `:` or `=`, `>`, `<`, `>=`, `<=`.
 */
export type SearchFieldType = 'string' | 'token' | 'numeric';

/** The operators of the language. */
export const SEARCH_OPERATORS = [':', '~', '=', '>', '<', '>=', '<='] as const;
export type SearchOperator = (typeof SEARCH_OPERATORS)[number];

/** Which operators each type of field takes. */
export const OPERATORS_BY_TYPE: Record<SearchFieldType, readonly SearchOperator[]> = {
  string: [':', '~'],
  token: [':'],
  numeric: [':', '=', '>', '<', '>=', '<='],
};

/** The fields `GET /v1/customers/search` takes; `metadata` is searched as `metadata["key"]`. */
export const CUSTOMER_SEARCH_FIELDS: Record<string, SearchFieldType> = {
  created: 'numeric',
  email: 'string',
  metadata: 'token',
  name: 'string',
  phone: 'string',
};

/** Limits that keep one search cheap: the query's length and how many clauses it combines. */
export const SEARCH_LIMITS = { queryLength: 1000, clauses: 10, substringMin: 3 } as const;
