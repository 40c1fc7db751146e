import type { ApiCall, HttpMethod, Operation, ParamType, Params } from './api-call.ts';

const address: ParamType = {
  object: {
    city: 'string',
    country: 'string',
    line1: 'string',
    line2: 'string',
    postal_code: 'string',
    state: 'string',
  },
};

/** Parameters shared by customer create and update. */
const customerWritable: Record<string, ParamType> = {
  address,
  balance: 'integer',
  description: 'string',
  email: 'string',
  expand: 'string-list',
  invoice_prefix: 'string',
  metadata: 'string-map',
  name: 'string',
  next_invoice_sequence: 'integer',
  phone: 'string',
  preferred_locales: 'string-list',
  shipping: { object: { address, name: 'string', phone: 'string' } },
  tax_exempt: 'string',
};

const listParams: Record<string, ParamType> = {
  created: 'range',
  ending_before: 'string',
  expand: 'string-list',
  limit: 'integer',
  starting_after: 'string',
};

/** Every operation that `<Request>` can describe. */
export const OPERATIONS: readonly Operation[] = [
  {
    resource: 'customers',
    action: 'create',
    method: 'POST',
    pathTemplate: '/v1/customers',
    params: customerWritable,
  },
  {
    resource: 'customers',
    action: 'retrieve',
    method: 'GET',
    pathTemplate: '/v1/customers/{id}',
    params: { expand: 'string-list' },
  },
  {
    resource: 'customers',
    action: 'update',
    method: 'POST',
    pathTemplate: '/v1/customers/{id}',
    params: customerWritable,
  },
  {
    resource: 'customers',
    action: 'delete',
    method: 'DELETE',
    pathTemplate: '/v1/customers/{id}',
    params: {},
  },
  {
    resource: 'customers',
    action: 'list',
    method: 'GET',
    pathTemplate: '/v1/customers',
    params: { ...listParams, email: 'string' },
  },
  {
    resource: 'events',
    action: 'retrieve',
    method: 'GET',
    pathTemplate: '/v1/events/{id}',
    params: { expand: 'string-list' },
  },
  {
    resource: 'events',
    action: 'list',
    method: 'GET',
    pathTemplate: '/v1/events',
    params: { ...listParams, type: 'string', types: 'string-list' },
  },
];

/** Why a described call cannot be rendered; the message says what would fix it. */
export class ApiCallError extends Error {
  readonly hint: string;
  /** The parameter at fault, when it is one. */
  readonly param: string | undefined;

  constructor(message: string, hint: string, param?: string) {
    super(message);
    this.name = 'ApiCallError';
    this.hint = hint;
    this.param = param;
  }
}

const supportedList = () =>
  OPERATIONS.map((op) => `${op.method} ${op.pathTemplate.replace('{id}', '<id>')}`).join(', ');

/**
 * Resolves an author's `method`, `path` and `params` into an {@link ApiCall}, checking
 * that the operation exists and that every parameter is one it accepts.
 */
export function resolveApiCall(method: string, path: string, params: Params = {}): ApiCall {
  const upper = method.toUpperCase() as HttpMethod;
  for (const operation of OPERATIONS) {
    if (operation.method !== upper) continue;
    const objectId = matchPath(operation.pathTemplate, path);
    if (objectId === null) continue;
    for (const name of Object.keys(params)) {
      if (!(name in operation.params)) {
        throw new ApiCallError(
          `${upper} ${path} does not accept the parameter "${name}".`,
          `Accepted parameters: ${Object.keys(operation.params).join(', ') || 'none'}.`,
          name,
        );
      }
    }
    return objectId ? { operation, objectId, params } : { operation, params };
  }
  throw new ApiCallError(
    `No sandbox operation matches ${upper} ${path}.`,
    `Supported calls: ${supportedList()}.`,
  );
}

/** Returns the object id (or '' when the template has none), or null when the path does not match. */
function matchPath(template: string, path: string): string | null {
  const [prefix = '', suffix] = template.split('{id}');
  if (suffix === undefined) return path === template ? '' : null;
  if (!path.startsWith(prefix) || !path.endsWith(suffix)) return null;
  const id = path.slice(prefix.length, path.length - suffix.length);
  return /^[A-Za-z0-9_]+$/.test(id) ? id : null;
}
