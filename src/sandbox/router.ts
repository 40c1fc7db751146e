import type { Resource } from '../lib/keys/permissions.ts';
import type { OperationContext, OperationResult } from './context.ts';
import { SandboxError } from './errors.ts';
import { messages } from './messages.ts';
import type { Decoded } from './params.ts';
import {
  createCustomer,
  customerRefinements,
  customerSchemas,
  deleteCustomer,
  listCustomers,
  retrieveCustomer,
  updateCustomer,
} from './resources/customers.ts';
import { eventRefinements, eventSchemas, listEvents, retrieveEvent } from './resources/events.ts';
import { validate, type Schema, type Validated } from './validate.ts';

/** One endpoint: how to match it, what it may be called with, what it does. */
export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  /** `/v1/customers` or `/v1/customers/:id`. */
  pattern: RegExp;
  resource: Resource;
  /** What a restricted key needs: GET reads, POST and DELETE write. */
  access: 'read' | 'write';
  schema: Schema;
  /**
   * Rules a schema cannot state (which fields expand, parameters that exclude each other),
   * checked with the schema: a call they refuse never started, so it is not saved for
   * idempotent replay, and the docs' content check can ask about it without a database.
   */
  refine?: (params: Validated) => void;
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
    refine: customerRefinements.one,
    run: createCustomer,
  },
  {
    method: 'GET',
    pattern: /^\/v1\/customers$/,
    resource: 'customers',
    access: 'read',
    schema: customerSchemas.list,
    refine: customerRefinements.list,
    run: listCustomers,
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/v1/customers/${ID}$`),
    resource: 'customers',
    access: 'read',
    schema: customerSchemas.retrieve,
    refine: customerRefinements.one,
    run: retrieveCustomer,
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/v1/customers/${ID}$`),
    resource: 'customers',
    access: 'write',
    schema: customerSchemas.update,
    refine: customerRefinements.one,
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
    refine: eventRefinements.list,
    run: listEvents,
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/v1/events/${ID}$`),
    resource: 'events',
    access: 'read',
    schema: eventSchemas.retrieve,
    refine: eventRefinements.retrieve,
    run: retrieveEvent,
  },
];

/**
 * The route for a request and the path's object id, or the sandbox's 404 for a URL it does
 * not serve (405, with the methods it allows, for a known URL called with another method).
 */
export function routeFor(
  method: string,
  path: string,
  origin: string,
): { route: Route; objectId: string | undefined } {
  const allowed: string[] = [];
  for (const route of ROUTES) {
    const match = route.pattern.exec(path);
    if (!match) continue;
    allowed.push(route.method);
    if (route.method === method) return { route, objectId: match[1] };
  }
  if (allowed.length === 0) throw new SandboxError(404, messages.unknownUrl(method, path, origin));
  throw new SandboxError(405, messages.methodNotAllowed(method, path), {
    headers: { allow: allowed.join(', ') },
  });
}

/** A request's decoded parameters checked as its route's operation needs them, or the 400 for the first bad one. */
export function validateRouteParams(route: Route, params: Decoded): Validated {
  const validated = validate(params, route.schema);
  route.refine?.(validated);
  return validated;
}
