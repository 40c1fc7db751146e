import type { ApiCall } from '../../../isomorphic/api-call.ts';

/** The request path with the object id filled in, e.g. `/v1/customers/cus_123`. */
export function requestPath(call: ApiCall): string {
  return call.operation.pathTemplate.replace('{id}', call.objectId ?? '');
}
