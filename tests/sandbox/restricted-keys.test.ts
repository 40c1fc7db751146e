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
 * Every sandbox operation against restricted keys. For each resource and each level (none,
 * read, write) there is a key with that level on that resource and the opposite on every
 * other (write when it has none, none otherwise: the dashboard refuses a key with none
 * everywhere), so each operation meets its own resource at every level, with the other
 * resources' permissions as far from it as they go. The expectation is written out here,
 * not taken from the code under test: reading needs read or write on the operation's
 * resource, writing needs write, and the other resources' permissions never matter. A
 * refused write must leave the account's data as it was.
 */
type Access = 'none' | 'read' | 'write';
type ResourceName = 'customers' | 'events' | 'webhook_endpoints';
const LEVELS: Access[] = ['none', 'read', 'write'];
const RESOURCE_NAMES: ResourceName[] = ['customers', 'events', 'webhook_endpoints'];

/** The key's permissions: `level` on `resource`, the opposite on every other. */
function grant(resource: ResourceName, level: Access): Record<ResourceName, Access> {
  const others: Access = level === 'none' ? 'write' : 'none';
  return Object.fromEntries(
    RESOURCE_NAMES.map((name) => [name, name === resource ? level : others]),
  ) as Record<ResourceName, Access>;
}

/** What an operation's path is built from: objects made for the check. */
interface Target {
  customerId: string;
  eventId: string;
  endpointId: string;
}

interface Operation {
  name: string;
  resource: ResourceName;
  needs: 'read' | 'write';
  method: string;
  /** The path, given a customer and a webhook endpoint made for this check and an event of the account. */
  path: (target: Target) => string;
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
  {
    name: 'create a webhook endpoint',
    resource: 'webhook_endpoints',
    needs: 'write',
    method: 'POST',
    path: () => '/v1/webhook_endpoints',
    form: { url: 'http://127.0.0.1:9/restricted', 'enabled_events[]': '*' },
  },
  {
    name: 'list webhook endpoints',
    resource: 'webhook_endpoints',
    needs: 'read',
    method: 'GET',
    path: () => '/v1/webhook_endpoints',
  },
  {
    name: 'retrieve a webhook endpoint',
    resource: 'webhook_endpoints',
    needs: 'read',
    method: 'GET',
    path: ({ endpointId }) => `/v1/webhook_endpoints/${endpointId}`,
  },
  {
    name: 'update a webhook endpoint',
    resource: 'webhook_endpoints',
    needs: 'write',
    method: 'POST',
    path: ({ endpointId }) => `/v1/webhook_endpoints/${endpointId}`,
    form: { disabled: 'true' },
  },
  {
    name: 'delete a webhook endpoint',
    resource: 'webhook_endpoints',
    needs: 'write',
    method: 'DELETE',
    path: ({ endpointId }) => `/v1/webhook_endpoints/${endpointId}`,
  },
];

const permitted = (granted: Access, needs: 'read' | 'write') =>
  needs === 'read' ? granted !== 'none' : granted === 'write';

let reader: Reader;
const keys = new Map<string, string>();

const accountState = () => sharedAccountState(reader.base, reader.secretKey);

beforeAll(async () => {
  reader = await newReaderWithKeys();
  for (const resource of RESOURCE_NAMES)
    for (const level of LEVELS)
      keys.set(`${resource}/${level}`, await createRestrictedKey(reader, grant(resource, level)));
});

describe('restricted keys: every permission on every operation', () => {
  it('covers every operation the API declares', () => {
    const covered = OPERATIONS.map(({ method, path }) => {
      const sample = path({ customerId: 'cus_x', eventId: 'evt_x', endpointId: 'we_x' }).split('?')[0]!;
      return `${method} ${sample.replace(/\/(cus|evt|we)_x$/, '/{id}')}`;
    });
    const declared = DECLARED.map(({ method, path }) => `${method} ${path}`);
    expect(covered.sort()).toEqual(declared.sort());
  });

  /** How the dashboard and the refusals name a resource's permission: `Webhook endpoints: Write`. */
  const LABELS: Record<ResourceName, string> = {
    customers: 'Customers',
    events: 'Events',
    webhook_endpoints: 'Webhook endpoints',
  };
  const STRIPE_NAMES: Record<ResourceName, string> = {
    customers: 'customer',
    events: 'event',
    webhook_endpoints: 'webhook_endpoint',
  };

  for (const operation of OPERATIONS) {
    for (const level of LEVELS) {
      const allowed = permitted(level, operation.needs);
      const others = level === 'none' ? 'write' : 'none';
      it(`${operation.resource} ${level}, the others ${others}: ${allowed ? 'may' : 'may not'} ${operation.name}`, async () => {
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
        const endpoint = await call(reader.base, 'POST', '/v1/webhook_endpoints', {
          key: reader.secretKey,
          paced: true,
          form: { url: 'http://127.0.0.1:9/target', 'enabled_events[]': '*' },
        });
        const endpointId = endpoint.json.id as string;
        const before = await accountState();

        const response = await call(
          reader.base,
          operation.method,
          operation.path({ customerId, eventId, endpointId }),
          { key: keys.get(`${operation.resource}/${level}`)!, form: operation.form },
        );

        const after = await accountState();
        // Each check made an endpoint; the account may hold 16, so this one goes again.
        await call(reader.base, 'DELETE', `/v1/webhook_endpoints/${endpointId}`, {
          key: reader.secretKey,
          paced: true,
        });
        if (
          response.json.object === 'webhook_endpoint' &&
          response.json.id !== endpointId &&
          !response.json.deleted
        )
          await call(reader.base, 'DELETE', `/v1/webhook_endpoints/${response.json.id}`, {
            key: reader.secretKey,
            paced: true,
          });
        if (allowed) {
          expect(response.status, response.text).toBe(200);
          if (operation.needs === 'write') expect(after).not.toBe(before);
          else expect(after).toBe(before);
        } else {
          expect(response.status, response.text).toBe(403);
          const label = `${LABELS[operation.resource]}: ${operation.needs === 'read' ? 'Read' : 'Write'}`;
          // The dashboard's words first, then Stripe's machine name.
          expect(response.json.error.message).toContain(`needs ${label} for this endpoint`);
          expect(response.json.error.message).toContain(
            `'rak_${STRIPE_NAMES[operation.resource]}_${operation.needs}'`,
          );
          expect(after, 'a refused request changed nothing').toBe(before);
        }
      });
    }
  }
});
