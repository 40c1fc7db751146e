import { describe, expect, it } from 'vitest';
import { produceExampleResponses } from '../../src/build/reference-examples/example-responses.ts';
import { RETURNED_OBJECTS } from '../../src/spec/objects.ts';
import { OPERATIONS, type OperationSpec } from '../../src/spec/operations.ts';

/**
 * The examples the reference pages show come from the real sandbox at build time; here the
 * same run is checked: every declared operation's example call succeeds and its response
 * is the object the declaration says it returns (strict schemas: no undeclared field).
 */
describe('the reference examples', () => {
  it('are a successful response of the declared object for every operation', async () => {
    const responses = await produceExampleResponses();
    for (const operation of OPERATIONS as readonly OperationSpec[]) {
      const response = responses[operation.id];
      expect(response?.status, `${operation.id}: ${JSON.stringify(response?.body)}`).toBe(200);
      expect(() => RETURNED_OBJECTS[operation.returns].parse(response!.body), operation.id).not.toThrow();
    }
  });

  it('read and change the object an earlier example made, and delete it last', async () => {
    const responses = await produceExampleResponses();
    const created = responses['create-customer']!.body as { id: string };
    expect((responses['retrieve-customer']!.body as { id: string }).id).toBe(created.id);
    expect((responses['update-customer']!.body as { phone: string }).phone).toBe('+15555550123');
    expect(responses['delete-customer']!.body).toEqual({ id: created.id, object: 'customer', deleted: true });
    const listed = responses['list-events']!.body as { data: Array<{ id: string }> };
    expect((responses['retrieve-event']!.body as { id: string }).id).toBe(listed.data[0]!.id);
  });
});
