import { RETURNED_OBJECTS } from '../../spec/objects.ts';
import type { z } from 'zod';
import { OPERATIONS, type OperationSpec } from '../../spec/operations.ts';
import { OBJECT_NAMES, type Resource } from '../../spec/resources.ts';

/** A resource's object as its reference section shows it. */
export interface ResourceObject {
  /** `customer`: the section's anchors start `customer-object-`. */
  name: string;
  schema: z.ZodType;
  /** Fields that `expand[]` accepts. */
  expandable: readonly string[];
}

/** The object a resource's operations return: what retrieving one gives. */
export function resourceObject(resource: Resource): ResourceObject {
  const retrieve = (OPERATIONS as readonly OperationSpec[]).find(
    (operation) => operation.resource === resource && operation.action === 'retrieve',
  );
  if (!retrieve)
    throw new Error(`The ${resource} resource has no retrieve operation to take its object from.`);
  return {
    name: OBJECT_NAMES[resource],
    schema: RETURNED_OBJECTS[retrieve.returns],
    expandable: retrieve.expandable,
  };
}
