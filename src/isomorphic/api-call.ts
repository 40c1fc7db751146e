import type { ActionName, HttpMethod } from '../spec/operations.ts';
import type { Resource } from '../spec/resources.ts';

/**
 * What one sandbox API call looks like, described once so that every language's
 * generator renders the same request. `<Request>` turns its props into an {@link ApiCall}.
 */

/** A request parameter value, as an author writes it in MDX. */
export type ParamValue = string | number | boolean | ParamValue[] | { [key: string]: ParamValue };

/** Parameters of one call, in the order the author wrote them. */
export type Params = Record<string, ParamValue>;

/**
 * The type of a parameter, which typed SDKs (Go, Java, .NET) need to pick the right
 * setter or wrapper. Untyped languages only need the value.
 */
export type ParamType =
  | 'string'
  | 'integer'
  | 'boolean'
  /** `metadata`: string keys to string values. */
  | 'string-map'
  /** `expand`, `preferred_locales`, `types`. */
  | 'string-list'
  /** `created`: an integer, or a range object with `gt`, `gte`, `lt`, `lte`. */
  | 'range'
  | { object: Record<string, ParamType> };

export type { ActionName, HttpMethod } from '../spec/operations.ts';
export type { Resource as ResourceName } from '../spec/resources.ts';

/**
 * One operation of the sandbox API as the samples see it: its declaration's call shape,
 * with each parameter's rule reduced to the type a generator needs.
 */
export interface Operation {
  /** The declaration's id, e.g. `create-customer`. */
  id: string;
  resource: Resource;
  action: ActionName;
  method: HttpMethod;
  /** Path with `{id}` where the object id goes, e.g. `/v1/customers/{id}`. */
  pathTemplate: string;
  /** Parameters this operation accepts, with their types. */
  params: Record<string, ParamType>;
}

/** A resolved call: the operation, the object id when the path names one, and the params. */
export interface ApiCall {
  operation: Operation;
  /** `cus_…` or `evt_…` when the path names an object. */
  objectId?: string;
  params: Params;
}

/**
 * Tokens that generated code may contain. They are replaced per reader after
 * highlighting (see `standins.ts`), never by the generators themselves.
 */
export const TOKENS = {
  secretKey: '{{SECRET_KEY}}',
  publishableKey: '{{PUBLISHABLE_KEY}}',
  /** This site's origin, e.g. `http://localhost:4321` (no trailing slash). */
  apiBase: '{{API_BASE}}',
  /** The origin's host name alone, e.g. `localhost` (stripe-node wants it apart). */
  apiHost: '{{API_HOST}}',
  /** The origin's port as digits, e.g. `4321` (443 or 80 when the origin has none). */
  apiPort: '{{API_PORT}}',
  /** `http` or `https`. */
  apiProtocol: '{{API_PROTOCOL}}',
  /** The reader's most recent customer (`cus_…`), or a marked placeholder. */
  customerId: '{{CUSTOMER_ID}}',
  /** The reader's most recent event (`evt_…`), or a marked placeholder. */
  eventId: '{{EVENT_ID}}',
  /** The signing secret `keyway listen` prints for the reader's secret key (`whsec_…`). */
  webhookSecret: '{{WEBHOOK_SECRET}}',
} as const;

/** A language generator: one API call in, source code with {@link TOKENS} out. */
export type Generator = (call: ApiCall) => string;
