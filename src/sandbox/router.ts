import type { Resource } from '../lib/keys/permissions.ts';
import type { OperationContext, OperationResult } from './context.ts';
import {
  createCustomer,
  customerSchemas,
  deleteCustomer,
  listCustomers,
  retrieveCustomer,
  updateCustomer,
} from './resources/customers.ts';
import { eventSchemas, listEvents, retrieveEvent } from './resources/events.ts';
import type { Schema } from './validate.ts';

/** One endpoint: how to match it, what it may be called with, what it does. */
export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  /** `/v1/customers` or `/v1/customers/:id`. */
  pattern: RegExp;
  resource: Resource;
  /** What a restricted key needs: GET reads, POST and DELETE write. */
  access: 'read' | 'write';
  schema: Schema;
  run: (ctx: OperationContext) => Promise<OperationResult>;
}

const ID = '([A-Za-z0-9_]{1,64})';

export const ROUTES: readonly Route[] = [
  {
    method: 'POST',
    pattern: /^\/v1\/customers$/,
    resource: 'customers',
    access: 'write',
    schema: customerSchemas.create,
    run: createCustomer,
  },
  {
    method: 'GET',
    pattern: /^\/v1\/customers$/,
    resource: 'customers',
    access: 'read',
    schema: customerSchemas.list,
    run: listCustomers,
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/v1/customers/${ID}$`),
    resource: 'customers',
    access: 'read',
    schema: customerSchemas.retrieve,
    run: retrieveCustomer,
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/v1/customers/${ID}$`),
    resource: 'customers',
    access: 'write',
    schema: customerSchemas.update,
    run: updateCustomer,
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`^/v1/customers/${ID}$`),
    resource: 'customers',
    access: 'write',
    schema: customerSchemas.delete,
    run: deleteCustomer,
  },
  {
    method: 'GET',
    pattern: /^\/v1\/events$/,
    resource: 'events',
    access: 'read',
    schema: eventSchemas.list,
    run: listEvents,
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/v1/events/${ID}$`),
    resource: 'events',
    access: 'read',
    schema: eventSchemas.retrieve,
    run: retrieveEvent,
  },
];

/** The route for a request, the path's object id, or why there is none. */
export function matchRoute(
  method: string,
  path: string,
):
  | { route: Route; objectId: string | undefined }
  | { missing: 'url' }
  | { missing: 'method'; allowed: string[] } {
  const allowed: string[] = [];
  for (const route of ROUTES) {
    const match = route.pattern.exec(path);
    if (!match) continue;
    allowed.push(route.method);
    if (route.method === method) return { route, objectId: match[1] };
  }
  return allowed.length ? { missing: 'method', allowed } : { missing: 'url' };
}
