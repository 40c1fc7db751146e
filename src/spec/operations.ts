/**
 * Every operation of the sandbox API, declared once. From these entries come the sandbox's
 * routes and parameter validation, the samples in every language and the try-it fields,
 * the docs' content check, restricted-key permissions, the OpenAPI document at
 * `/openapi.json` and the API reference pages. Adding an operation here (and its handler
 * in the sandbox) is all it takes to document it.
 *
 * This module and its folder import nothing from the rest of the site.
 */
import type { ErrorCode } from './errors.ts';
import { WEBHOOK_EVENT_CHOICES, type EventType } from './event-types.ts';
import type { ReturnedObjectId } from './objects.ts';
import { CUSTOMER_EXPANDABLE, type Resource } from './resources.ts';
import { expandRule, LIST_PARAMS, type Rule, type Schema } from './rules.ts';
import { SEARCH_LIMITS } from './search.ts';
import { API_VERSION_PATTERN } from './version.ts';

export type HttpMethod = 'GET' | 'POST' | 'DELETE';
export type ActionName = 'create' | 'retrieve' | 'update' | 'delete' | 'list' | 'search';

/** A parameter value as a sample writes it; nested objects become `a[b]=c` on the wire. */
export type ExampleValue = string | number | boolean | ExampleValue[] | { [key: string]: ExampleValue };

/** One operation: how it is called, what it takes, what it returns, how it fails. */
export interface OperationSpec {
  /** Stable name, also the reference page's anchor: `create-customer`. */
  id: string;
  resource: Resource;
  action: ActionName;
  method: HttpMethod;
  /** Path with `{id}` where the object id goes: `/v1/customers/{id}`. */
  path: string;
  /** What a restricted key needs: reads need read access, changes write access. */
  access: 'read' | 'write';
  summary: string;
  description: string;
  /** Query parameters for GET and DELETE, form body parameters for POST. */
  params: Schema;
  /** Top-level parameters that must be present. */
  required?: readonly string[];
  /** What a success returns (status 200): an object of `RETURNED_OBJECTS` in objects.ts. */
  returns: ReturnedObjectId;
  /** Fields of the returned object that `expand[]` accepts (on a list, under `data.`). */
  expandable: readonly string[];
  /** Errors this operation can return besides the ones every operation can. */
  errors: readonly ErrorCode[];
  /** Events a success records. */
  events: readonly EventType[];
  /**
   * The parameters of the reference's example call: its samples and try-it send them, and
   * the example response is what the sandbox answers to them. Required ones must be here.
   */
  example?: Readonly<Record<string, ExampleValue>>;
}

const str = (
  description: string,
  extra: Omit<Extract<Rule, { kind: 'string' }>, 'kind' | 'description'> = {},
): Rule => ({
  kind: 'string',
  description,
  ...extra,
});

const address = (whose: string): Rule => ({
  kind: 'object',
  unsettable: true,
  description: `The ${whose} address.`,
  fields: {
    city: str('City, district, suburb, town, or village.', { max: 200, unsettable: true }),
    country: str('Two-letter country code (ISO 3166-1 alpha-2).', { max: 2, unsettable: true }),
    line1: str('Address line 1, such as the street, PO box, or company name.', {
      max: 200,
      unsettable: true,
    }),
    line2: str('Address line 2, such as the apartment, suite, unit, or building.', {
      max: 200,
      unsettable: true,
    }),
    postal_code: str('ZIP or postal code.', { max: 50, unsettable: true }),
    state: str('State, county, province, or region.', { max: 200, unsettable: true }),
  },
});

/** What customer create and update both take. */
const CUSTOMER_FIELDS: Schema = {
  address: address('customer’s'),
  balance: {
    kind: 'integer',
    description:
      'An integer in the smallest currency unit: negative is credit to apply to the next invoice, positive is an amount owed that is added to it.',
  },
  description: str('An arbitrary string to attach to the customer, often shown in the dashboard.', {
    max: 350,
    unsettable: true,
  }),
  email: str('The customer’s email address.', {
    max: 512,
    format: 'email',
    unsettable: true,
  }),
  expand: expandRule('customer'),
  invoice_prefix: str('The prefix of the customer’s invoice numbers: 3 to 12 uppercase letters or digits.', {
    pattern: {
      regex: /^[A-Z0-9]{3,12}$/,
      message: 'Invalid invoice_prefix: use 3 to 12 uppercase letters or numbers.',
    },
  }),
  metadata: {
    kind: 'metadata',
    description:
      'Key-value pairs for your own use: up to 50 keys of up to 40 characters, values up to 500. Numbers come back as strings. `metadata[key]=` unsets one key, `metadata=` all of them.',
  },
  name: str('The customer’s full name or business name.', { max: 256, unsettable: true }),
  next_invoice_sequence: {
    kind: 'integer',
    min: 1,
    description: 'The sequence number to use on the customer’s next invoice.',
  },
  phone: str('The customer’s phone number.', { max: 20, unsettable: true }),
  preferred_locales: {
    kind: 'list',
    max: 20,
    unsettable: true,
    description: 'The customer’s preferred languages, most preferred first, such as `en` or `fr-CA`.',
  },
  shipping: {
    kind: 'object',
    unsettable: true,
    required: ['name'],
    description: 'Where and to whom the customer’s orders are shipped.',
    fields: {
      address: address('shipping'),
      name: str('The recipient’s name.', { max: 256 }),
      phone: str('The recipient’s phone number.', { max: 20, unsettable: true }),
    },
  },
  tax_exempt: str('The customer’s tax exemption.', {
    oneOf: ['none', 'exempt', 'reverse'],
    unsettable: true,
    unsetValue: 'none',
  }),
};

/** The most webhook endpoints an account may have in one mode, as Stripe allows. */
export const WEBHOOK_ENDPOINT_LIMIT = 16;

/** The longest webhook URL the sandbox takes. */
export const WEBHOOK_URL_MAX = 2048;

/** What webhook endpoint create and update both take. */
const WEBHOOK_ENDPOINT_FIELDS: Schema = {
  description: str('What the endpoint is for, shown in the dashboard.', { unsettable: true }),
  enabled_events: {
    kind: 'list',
    min: 1,
    max: WEBHOOK_EVENT_CHOICES.length,
    oneOf: WEBHOOK_EVENT_CHOICES,
    description:
      'The event types to send to the endpoint, such as `customer.created`; `*` alone sends every type.',
  },
  expand: expandRule('webhook endpoint'),
  metadata: {
    kind: 'metadata',
    description:
      'Key-value pairs for your own use: up to 50 keys of up to 40 characters, values up to 500. `metadata[key]=` unsets one key, `metadata=` all of them.',
  },
  url: str(
    `The URL to send events to: \`https://\` or \`http://\`, without a user name or password, at most ${WEBHOOK_URL_MAX} characters. Live mode needs \`https://\`. Unless this site is your own local Keyway, it must reach a public address: loopback, private, link-local and metadata addresses are refused.`,
    { max: WEBHOOK_URL_MAX },
  ),
};

const PARAM_ERRORS: readonly ErrorCode[] = [
  'parameter_unknown',
  'parameter_missing',
  'parameter_invalid_integer',
  'parameter_invalid_empty',
  'parameter_invalid_string',
];
const WRITE_ERRORS: readonly ErrorCode[] = [
  ...PARAM_ERRORS,
  'idempotency_key_in_use',
  'body_invalid',
  'body_too_large',
];

export const OPERATIONS = [
  {
    id: 'create-customer',
    resource: 'customers',
    action: 'create',
    method: 'POST',
    path: '/v1/customers',
    access: 'write',
    summary: 'Create a customer',
    description:
      'Creates a customer in your sandbox. Every parameter is optional; a customer can start empty.',
    params: CUSTOMER_FIELDS,
    returns: 'customer',
    expandable: CUSTOMER_EXPANDABLE,
    errors: [...WRITE_ERRORS, 'email_invalid'],
    events: ['customer.created'],
    example: { email: 'jenny.rosen@example.com', name: 'Jenny Rosen', metadata: { order_id: '6735' } },
  },
  {
    id: 'retrieve-customer',
    resource: 'customers',
    action: 'retrieve',
    method: 'GET',
    path: '/v1/customers/{id}',
    access: 'read',
    summary: 'Retrieve a customer',
    description: 'Returns the customer with this id. A deleted customer is no longer found.',
    params: { expand: expandRule('customer') },
    returns: 'customer',
    expandable: CUSTOMER_EXPANDABLE,
    errors: [...PARAM_ERRORS, 'resource_missing'],
    events: [],
  },
  {
    id: 'update-customer',
    resource: 'customers',
    action: 'update',
    method: 'POST',
    path: '/v1/customers/{id}',
    access: 'write',
    summary: 'Update a customer',
    description:
      'Changes the fields you send and leaves the others as they are. An empty string unsets a field that can be unset. A change records a `customer.updated` event with the old values.',
    params: CUSTOMER_FIELDS,
    returns: 'customer',
    expandable: CUSTOMER_EXPANDABLE,
    errors: [...WRITE_ERRORS, 'email_invalid', 'resource_missing'],
    events: ['customer.updated'],
    example: { phone: '+15555550123', metadata: { vip: 'true' } },
  },
  {
    id: 'delete-customer',
    resource: 'customers',
    action: 'delete',
    method: 'DELETE',
    path: '/v1/customers/{id}',
    access: 'write',
    summary: 'Delete a customer',
    description: 'Deletes the customer for good. It can no longer be retrieved or updated, and leaves lists.',
    params: {},
    returns: 'deleted_customer',
    expandable: [],
    errors: [...PARAM_ERRORS, 'resource_missing'],
    events: ['customer.deleted'],
  },
  {
    id: 'list-customers',
    resource: 'customers',
    action: 'list',
    method: 'GET',
    path: '/v1/customers',
    access: 'read',
    summary: 'List all customers',
    description: 'Returns your customers, newest first, a page at a time.',
    params: {
      ...LIST_PARAMS,
      email: str('Only customers with exactly this email address (case-sensitive).', { max: 512 }),
      expand: expandRule('customers, under `data.`'),
    },
    returns: 'customer_list',
    expandable: CUSTOMER_EXPANDABLE,
    errors: [...PARAM_ERRORS, 'resource_missing'],
    events: [],
    example: { limit: 3, email: 'jenny.rosen@example.com' },
  },
  {
    id: 'search-customers',
    resource: 'customers',
    action: 'search',
    method: 'GET',
    path: '/v1/customers/search',
    access: 'read',
    summary: 'Search customers',
    description: [
      'Returns your customers that match a query in Stripe’s search query language, newest first. The sandbox supports the fields `email`, `name`, `phone`, `metadata` and `created`:',
      '',
      '- `email`, `name` and `phone` are strings: `:` matches the words of the value in the same order, ignoring case (`name:"jenny rosen"` finds “Jenny Rosen Smith”); `~` matches a substring of at least 3 characters (`email~"example"`).',
      '- `metadata["key"]:"value"` matches one metadata value exactly, ignoring case.',
      '- `created` is a Unix time: `created>1700000000`, with `:` or `=`, `>`, `<`, `>=` and `<=`.',
      '- `field:null` finds objects where the field is not set: `-metadata["donation_id"]:null` finds those that have the key.',
      '',
      'Values are quoted with `"` or `\'` (optional for numbers); a backslash escapes a quote inside them. Put `-` before a clause to negate it. Separate clauses with a space or `AND`, or with `OR`, but not both in one query, and with no parentheses. A query is at most ' +
        `${SEARCH_LIMITS.queryLength} characters and ${SEARCH_LIMITS.clauses} clauses. Deleted customers are never found. Unlike Stripe’s, the sandbox’s results include changes at once.`,
    ].join('\n'),
    params: {
      query: str(
        'The search query, such as `email~"example.com" AND metadata["plan"]:"pro"`. See the operation’s description for the language.',
        { max: SEARCH_LIMITS.queryLength },
      ),
      limit: LIST_PARAMS.limit!,
      page: str(
        'A cursor for pagination: the `next_page` of the previous page of the same search. Leave it out for the first page.',
        { max: 200 },
      ),
      expand: expandRule('customers, under `data.`'),
    },
    required: ['query'],
    returns: 'customer_search_result',
    expandable: CUSTOMER_EXPANDABLE,
    errors: [...PARAM_ERRORS, 'search_query_invalid'],
    events: [],
    example: { query: 'email:"jenny.rosen@example.com"', limit: 3 },
  },
  {
    id: 'retrieve-event',
    resource: 'events',
    action: 'retrieve',
    method: 'GET',
    path: '/v1/events/{id}',
    access: 'read',
    summary: 'Retrieve an event',
    description:
      'Returns the event with this id. Events are kept for 30 days; an older one is no longer found.',
    params: { expand: expandRule('event') },
    returns: 'event',
    expandable: [],
    errors: [...PARAM_ERRORS, 'resource_missing'],
    events: [],
  },
  {
    id: 'list-events',
    resource: 'events',
    action: 'list',
    method: 'GET',
    path: '/v1/events',
    access: 'read',
    summary: 'List all events',
    description: 'Returns the events of your sandbox, newest first, a page at a time.',
    params: {
      ...LIST_PARAMS,
      delivery_success: str(
        'Only events whose webhook deliveries all succeeded (`true`), or those with one still pending or failed (`false`). An event owed to no endpoint counts as delivered.',
        { oneOf: ['true', 'false'] },
      ),
      expand: expandRule('events, under `data.`'),
      type: str(
        'Only events of this type, such as `customer.created`; `*` matches any part, as in `customer.*`.',
        {
          pattern: {
            regex: /^[a-z_.*]{1,100}$/,
            message:
              'Invalid type: use an event type such as customer.created, or a pattern such as customer.*',
          },
        },
      ),
      types: {
        kind: 'list',
        max: 20,
        description: 'Only events of any of these exact types. Cannot be combined with `type`.',
      },
    },
    returns: 'event_list',
    expandable: [],
    errors: [...PARAM_ERRORS, 'resource_missing'],
    events: [],
    example: { type: 'customer.*', limit: 5 },
  },
  {
    id: 'create-webhook-endpoint',
    resource: 'webhook_endpoints',
    action: 'create',
    method: 'POST',
    path: '/v1/webhook_endpoints',
    access: 'write',
    summary: 'Create a webhook endpoint',
    description: `Registers a URL to send events to as they happen. The response is the only one that includes the endpoint’s signing \`secret\`: keep it to check each delivery’s \`Stripe-Signature\`. An account can have up to ${WEBHOOK_ENDPOINT_LIMIT} endpoints in each mode. \`connect\` is accepted only as \`false\`: the sandbox has no connected accounts.`,
    params: {
      ...WEBHOOK_ENDPOINT_FIELDS,
      api_version: str(
        'The API version to render events in for this endpoint, such as `2026-07-29.dahlia`. Left out, events use the account’s default.',
        {
          max: 40,
          pattern: {
            regex: API_VERSION_PATTERN,
            message: 'Invalid api_version: use a version such as 2026-07-29.dahlia.',
          },
        },
      ),
      connect: str('Whether the endpoint receives events from connected accounts. Only `false`.', {
        oneOf: ['true', 'false'],
      }),
    },
    required: ['url', 'enabled_events'],
    returns: 'webhook_endpoint',
    expandable: [],
    errors: [...WRITE_ERRORS, 'url_invalid', 'webhook_endpoint_limit'],
    events: [],
    example: {
      url: 'https://example.com/webhooks/stripe',
      enabled_events: ['customer.created', 'customer.updated'],
      description: 'Sync new customers to the CRM',
    },
  },
  {
    id: 'retrieve-webhook-endpoint',
    resource: 'webhook_endpoints',
    action: 'retrieve',
    method: 'GET',
    path: '/v1/webhook_endpoints/{id}',
    access: 'read',
    summary: 'Retrieve a webhook endpoint',
    description: 'Returns the webhook endpoint with this id, without its secret.',
    params: { expand: expandRule('webhook endpoint') },
    returns: 'webhook_endpoint',
    expandable: [],
    errors: [...PARAM_ERRORS, 'resource_missing'],
    events: [],
  },
  {
    id: 'update-webhook-endpoint',
    resource: 'webhook_endpoints',
    action: 'update',
    method: 'POST',
    path: '/v1/webhook_endpoints/{id}',
    access: 'write',
    summary: 'Update a webhook endpoint',
    description:
      'Changes the fields you send and leaves the others as they are. `disabled=true` stops deliveries to the endpoint until `disabled=false`; events that happen meanwhile are not sent later. The secret stays the same.',
    params: {
      ...WEBHOOK_ENDPOINT_FIELDS,
      disabled: str('`true` to stop sending events to the endpoint, `false` to start again.', {
        oneOf: ['true', 'false'],
      }),
    },
    returns: 'webhook_endpoint',
    expandable: [],
    errors: [...WRITE_ERRORS, 'url_invalid', 'resource_missing'],
    events: [],
    example: { enabled_events: ['*'], disabled: false },
  },
  {
    id: 'delete-webhook-endpoint',
    resource: 'webhook_endpoints',
    action: 'delete',
    method: 'DELETE',
    path: '/v1/webhook_endpoints/{id}',
    access: 'write',
    summary: 'Delete a webhook endpoint',
    description:
      'Deletes the endpoint for good, with the deliveries it was still owed: nothing more is sent to it.',
    params: {},
    returns: 'deleted_webhook_endpoint',
    expandable: [],
    errors: [...PARAM_ERRORS, 'resource_missing'],
    events: [],
  },
  {
    id: 'list-webhook-endpoints',
    resource: 'webhook_endpoints',
    action: 'list',
    method: 'GET',
    path: '/v1/webhook_endpoints',
    access: 'read',
    summary: 'List all webhook endpoints',
    description: 'Returns your webhook endpoints, newest first, a page at a time, without their secrets.',
    params: {
      ending_before: LIST_PARAMS.ending_before!,
      limit: LIST_PARAMS.limit!,
      starting_after: LIST_PARAMS.starting_after!,
      expand: expandRule('webhook endpoints, under `data.`'),
    },
    returns: 'webhook_endpoint_list',
    expandable: [],
    errors: [...PARAM_ERRORS, 'resource_missing'],
    events: [],
    example: { limit: 3 },
  },
] as const satisfies readonly OperationSpec[];

export type OperationId = (typeof OPERATIONS)[number]['id'];

/** The operation with this id. */
export function operationById(id: string): OperationSpec | undefined {
  return (OPERATIONS as readonly OperationSpec[]).find((operation) => operation.id === id);
}

/**
 * Whether a declared path names no object (`/v1/customers/search`). Such a path wins over a
 * template it also fits (`/v1/customers/{id}`): matchOperation (the sandbox's router and the
 * requests-per-operation query) and the samples' resolver try such paths first.
 */
export function isLiteralPath(path: string): boolean {
  return !path.includes('{id}');
}

/** What `{id}` in a declared path matches: an object id. */
const ID_PATTERN = '([A-Za-z0-9_]{1,64})';

/** Every declared path as a pattern, the all-literal ones first (see isLiteralPath). */
const PATH_PATTERNS = (OPERATIONS as readonly OperationSpec[])
  .map((operation) => ({ operation, pattern: new RegExp(`^${operation.path.replace('{id}', ID_PATTERN)}$`) }))
  .sort((a, b) => Number(isLiteralPath(b.operation.path)) - Number(isLiteralPath(a.operation.path)));

/**
 * The declared operation a method and path call, with the path's object id; or, for a path
 * the API declares with other methods only, those methods (an empty list: no such path).
 * A path that an all-literal declaration fits belongs to it alone.
 */
export function matchOperation(
  method: string,
  path: string,
): { operation: OperationSpec; objectId: string | undefined } | { operation: null; allowed: string[] } {
  const allowed: string[] = [];
  let literalMatched = false;
  for (const { operation, pattern } of PATH_PATTERNS) {
    const literal = isLiteralPath(operation.path);
    if (!literal && literalMatched) break;
    const match = pattern.exec(path);
    if (!match) continue;
    literalMatched ||= literal;
    allowed.push(operation.method);
    if (operation.method === method) return { operation, objectId: match[1] };
  }
  return { operation: null, allowed };
}
