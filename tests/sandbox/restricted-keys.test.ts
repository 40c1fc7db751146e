import { beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS as DECLARED } from '../../src/spec/operations.ts';
import {
  accountState as sharedAccountState,
  call,
  createRestrictedKey,
  newReaderWithKeys,
  type Reader,
} from '../support/sandbox.ts';

/**
 * Every sandbox operation against a restricted key with each permission pair (customers and
 * events each none, read or write; the dashboard refuses a key with none for both). The expectation is written out here,
 * not taken from the code under test: reading needs read or write on the operation's
 * resource, writing needs write, and the other resource's permission never matters. A
 * refused write must leave the account's data as it was.
 */
type Access = 'none' | 'read' | 'write';
const LEVELS: Access[] = ['none', 'read', 'write'];
const PAIRS = LEVELS.flatMap((customers) => LEVELS.map((events) => ({ customers, events }))).filter(
  (pair) => pair.customers !== 'none' || pair.events !== 'none',
);

interface Operation {
  name: string;
  resource: 'customers' | 'events';
  needs: 'read' | 'write';
  method: string;
  /** The path, given a customer made for this check and an event of the account. */
  path: (target: { customerId: string; eventId: string }) => string;
  form?: Record<string, string>;
}

const OPERATIONS: Operation[] = [
  {
    name: 'create a customer',
    resource: 'customers',
    needs: 'write',
    method: 'POST',
    path: () => '/v1/customers',
    form: { email: 'restricted@example.com' },
  },
  {
    name: 'list customers',
    resource: 'customers',
    needs: 'read',
    method: 'GET',
    path: () => '/v1/customers',
  },
  {
    name: 'retrieve a customer',
    resource: 'customers',
    needs: 'read',
    method: 'GET',
    path: ({ customerId }) => `/v1/customers/${customerId}`,
  },
  {
    name: 'update a customer',
    resource: 'customers',
    needs: 'write',
    method: 'POST',
    path: ({ customerId }) => `/v1/customers/${customerId}`,
    form: { name: 'Changed by a restricted key' },
  },
  {
    name: 'delete a customer',
    resource: 'customers',
    needs: 'write',
    method: 'DELETE',
    path: ({ customerId }) => `/v1/customers/${customerId}`,
  },
  {
    name: 'search customers',
    resource: 'customers',
    needs: 'read',
    method: 'GET',
    path: () => '/v1/customers/search?query=name%3A%22target%22',
  },
  { name: 'list events', resource: 'events', needs: 'read', method: 'GET', path: () => '/v1/events' },
  {
    name: 'retrieve an event',
    resource: 'events',
    needs: 'read',
    method: 'GET',
    path: ({ eventId }) => `/v1/events/${eventId}`,
  },
];

const permitted = (granted: Access, needs: 'read' | 'write') =>
  needs === 'read' ? granted !== 'none' : granted === 'write';

let reader: Reader;
const keys = new Map<string, string>();

const accountState = () => sharedAccountState(reader.base, reader.secretKey);

beforeAll(async () => {
  reader = await newReaderWithKeys();
  for (const pair of PAIRS) {
    keys.set(`${pair.customers}/${pair.events}`, await createRestrictedKey(reader, pair));
  }
});

describe('restricted keys: every permission on every operation', () => {
  it('covers every operation the API declares', () => {
    const covered = OPERATIONS.map(({ method, path }) => {
      const sample = path({ customerId: 'cus_x', eventId: 'evt_x' }).split('?')[0]!;
      return `${method} ${sample.replace(/\/(cus|evt)_x$/, '/{id}')}`;
    });
    const declared = DECLARED.map(({ method, path }) => `${method} ${path}`);
    expect(covered.sort()).toEqual(declared.sort());
  });

  for (const operation of OPERATIONS) {
    for (const { customers, events } of PAIRS) {
      const granted = operation.resource === 'customers' ? customers : events;
      const allowed = permitted(granted, operation.needs);
      it(`customers ${customers}, events ${events}: ${allowed ? 'may' : 'may not'} ${operation.name}`, async () => {
        const made = await call(reader.base, 'POST', '/v1/customers', {
          key: reader.secretKey,
          paced: true,
          form: { email: 'target@example.com', name: 'Target' },
        });
        const customerId = made.json.id as string;
        const latest = await call(reader.base, 'GET', '/v1/events?limit=1', {
          key: reader.secretKey,
          paced: true,
        });
        const eventId = latest.json.data[0].id as string;
        const before = await accountState();

        const response = await call(reader.base, operation.method, operation.path({ customerId, eventId }), {
          key: keys.get(`${customers}/${events}`)!,
          form: operation.form,
        });

        const after = await accountState();
        if (allowed) {
          expect(response.status, response.text).toBe(200);
          if (operation.needs === 'write') expect(after).not.toBe(before);
          else expect(after).toBe(before);
        } else {
          expect(response.status, response.text).toBe(403);
          const singular = operation.resource.replace(/s$/, '');
          const label = `${operation.resource[0]!.toUpperCase()}${operation.resource.slice(1)}: ${operation.needs === 'read' ? 'Read' : 'Write'}`;
          // The dashboard's words first, then Stripe's machine name.
          expect(response.json.error.message).toContain(`needs ${label} for this endpoint`);
          expect(response.json.error.message).toContain(`'rak_${singular}_${operation.needs}'`);
          expect(after, 'a refused request changed nothing').toBe(before);
        }
      });
    }
  }
});
