import { z } from 'zod';
import { OPERATIONS, operationById } from '../../spec/operations.ts';
import { defineTool, errorResult, jsonResult } from './tool.ts';

/** Every sandbox operation, from the API declaration. */
export const listOperations = defineTool({
  name: 'list_operations',
  title: 'List API operations',
  description:
    'Lists every operation of the Keyway sandbox API (Stripe-compatible): its id, method, path and summary. Pass an id to describe_operation for its parameters.',
  inputSchema: z.object({}),
  annotations: { readOnlyHint: true, openWorldHint: false },
  offeredTo: () => true,
  run: async () =>
    jsonResult(OPERATIONS.map(({ id, method, path, summary }) => ({ id, method, path, summary }))),
});

/** One operation in full: parameters with their rules, errors, events, an example. */
export const describeOperation = defineTool({
  name: 'describe_operation',
  title: 'Describe an API operation',
  description:
    'Describes one sandbox API operation by id (from list_operations): method, path, parameters and their rules, required parameters, what it returns, its errors, the events it records and an example call.',
  inputSchema: z.object({
    id: z.string().max(100).describe('The operation id, e.g. "create-customer".'),
  }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  offeredTo: () => true,
  run: async ({ id }, { siteOrigin }) => {
    const operation = operationById(id);
    if (!operation) return errorResult(`No operation "${id}". Call list_operations for the ids.`);
    return jsonResult({
      ...operation,
      reference: new URL(`/docs/api/${operation.resource}#${operation.id}`, siteOrigin).href,
    });
  },
});
