import { matchOperation, OPERATIONS, type OperationId, type OperationSpec } from '../spec/operations.ts';
import type { OperationContext, OperationResult } from './context.ts';
import { SandboxError } from './errors.ts';
import { messages } from './messages.ts';
import type { Decoded } from './params.ts';
import {
  createCustomer,
  customerRefinements,
  deleteCustomer,
  listCustomers,
  retrieveCustomer,
  searchCustomers,
  updateCustomer,
} from './customers.ts';
import { eventRefinements, listEvents, retrieveEvent } from './events.ts';
import { validate, type Validated } from './validate.ts';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  listWebhookEndpoints,
  retrieveWebhookEndpoint,
  updateWebhookEndpoint,
  webhookEndpointRefinements,
} from './webhook-endpoints.ts';

/** What the sandbox does for one declared operation. */
export interface Handler {
  /**
   * Rules a schema cannot state (which fields expand, parameters that exclude each other),
   * checked with the schema: a call they refuse never started, so it is not saved for
   * idempotent replay, and the docs' content check can ask about it without a database.
   */
  refine?: (params: Validated) => void;
  run: (ctx: OperationContext) => Promise<OperationResult>;
}

/**
 * The sandbox's handler for each operation the API declaration lists. The declaration says
 * how an operation is called and what it accepts; this says what it does. The type makes
 * a declared operation without a handler a compile error.
 */
const HANDLERS: Record<OperationId, Handler> = {
  'create-customer': { run: createCustomer, refine: customerRefinements.one },
  'retrieve-customer': { run: retrieveCustomer, refine: customerRefinements.one },
  'update-customer': { run: updateCustomer, refine: customerRefinements.one },
  'delete-customer': { run: deleteCustomer },
  'list-customers': { run: listCustomers, refine: customerRefinements.list },
  'search-customers': { run: searchCustomers, refine: customerRefinements.search },
  'retrieve-event': { run: retrieveEvent, refine: eventRefinements.retrieve },
  'list-events': { run: listEvents, refine: eventRefinements.list },
  'create-webhook-endpoint': { run: createWebhookEndpoint, refine: webhookEndpointRefinements.one },
  'retrieve-webhook-endpoint': { run: retrieveWebhookEndpoint, refine: webhookEndpointRefinements.one },
  'update-webhook-endpoint': { run: updateWebhookEndpoint, refine: webhookEndpointRefinements.one },
  'delete-webhook-endpoint': { run: deleteWebhookEndpoint },
  'list-webhook-endpoints': { run: listWebhookEndpoints, refine: webhookEndpointRefinements.list },
};

/** One endpoint: its declaration and its handler. */
export interface Route extends Handler {
  operation: OperationSpec;
}

export const ROUTES: readonly Route[] = (OPERATIONS as readonly OperationSpec[]).map((operation) => ({
  operation,
  ...HANDLERS[operation.id as OperationId],
}));

const ROUTE_BY_ID = new Map(ROUTES.map((route) => [route.operation.id, route]));

/**
 * The route for a request and the path's object id, or the sandbox's 404 for a URL it does
 * not serve (405, with the methods it allows, for a known URL called with another method).
 */
export function routeFor(
  method: string,
  path: string,
  origin: string,
): { route: Route; objectId: string | undefined } {
  const match = matchOperation(method, path);
  if (match.operation) return { route: ROUTE_BY_ID.get(match.operation.id)!, objectId: match.objectId };
  if (match.allowed.length === 0) throw new SandboxError(404, messages.unknownUrl(method, path, origin));
  throw new SandboxError(405, messages.methodNotAllowed(method, path), {
    headers: { allow: match.allowed.join(', ') },
  });
}

/** A request's decoded parameters checked as its route's operation needs them, or the 400 for the first bad one. */
export function validateRouteParams(route: Route, params: Decoded): Validated {
  const validated = validate(params, route.operation.params);
  for (const name of route.operation.required ?? []) {
    if (validated[name] === undefined || validated[name] === null)
      throw new SandboxError(400, messages.missingParameter(name), {
        code: 'parameter_missing',
        param: name,
      });
  }
  route.refine?.(validated);
  return validated;
}
