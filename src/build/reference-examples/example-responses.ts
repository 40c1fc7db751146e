/**
 * The reference's example responses, produced by the real sandbox: every declared
 * operation's example call (`example` in its declaration) runs in process against a
 * throwaway in-memory SQLite database with the site's migrations, as the tests' databases
 * are made. The build does this once (examples-plugin.ts), so an example can never show a
 * field the sandbox does not send, and a new operation gets its example without a script.
 */
import { randomBytes } from 'node:crypto';
import qs from 'qs';
import { signUp } from '../../lib/auth/accounts.ts';
import { openDatabase } from '../../lib/db/client.ts';
import { settleGroupCommit } from '../../lib/db/group-commit.ts';
import { migrateToLatest } from '../../lib/db/migrate.ts';
import { listKeys } from '../../lib/keys/api-keys.ts';
import { eventExampleKey } from '../../lib/reference/event-examples.ts';
import { handleSandboxRequest } from '../../sandbox/handler.ts';
import { OPERATIONS, type OperationSpec } from '../../spec/operations.ts';
import { OBJECT_NAMES, type Resource } from '../../spec/resources.ts';

/** What the sandbox answered to one operation's example call. */
export interface ExampleResponse {
  status: number;
  body: unknown;
}

/** Responses by operation id, and example events by `eventExampleKey`. */
export type ExampleResponses = Record<string, ExampleResponse>;

/** What every host name resolves to while the examples run: a public address, never dialled. */
const EXAMPLE_HOST_ADDRESS = '93.184.215.14';

/** The origin error bodies link to; examples are successes, so it is never shown. */
const ORIGIN = 'http://localhost:4321';

/**
 * The order calls run in: calls that need no object first (create, list, search), then the
 * ones that read or change the object those made, and deletions last, so each finds its object.
 */
function phase(operation: OperationSpec): number {
  if (operation.action === 'delete') return 2;
  return operation.path.includes('{id}') ? 1 : 0;
}

/** An object of the resource in a response: the object itself, or a list's first. */
function objectIdIn(body: unknown, resource: Resource): string | undefined {
  const value = body as { id?: unknown; object?: unknown; data?: unknown };
  if (value?.object === OBJECT_NAMES[resource] && typeof value.id === 'string') return value.id;
  if (Array.isArray(value?.data)) return objectIdIn(value.data[0], resource);
  return undefined;
}

/** Runs every operation's example call against a fresh sandbox and returns what it answered. */
export async function produceExampleResponses(
  operations: readonly OperationSpec[] = OPERATIONS,
): Promise<ExampleResponses> {
  const { db } = await openDatabase({ kind: 'sqlite', path: ':memory:' });
  try {
    await migrateToLatest(db);
    const account = await signUp(db, { email: 'reference@example.com', password: crypto.randomUUID() });
    const keys = account.ok ? await listKeys(db, account.accountId, 'test') : [];
    const key = keys.find((listed) => listed.kind === 'secret')?.plaintext;
    if (!key) throw new Error('The reference examples could not make an account with a test key.');
    const deps = {
      db,
      origin: ORIGIN,
      rateLimitPerSecond: 1000,
      // The examples use a real key, never a sample key, so no guest sandbox is ever started.
      guests: { secret: randomBytes(32), clientAddress: '127.0.0.1' },
      // A webhook endpoint's URL is resolved before it is saved, and a build may have no
      // network: the examples' hosts (example.com) resolve to a public address without DNS.
      webhookTargets: {
        allowPrivate: false,
        lookup: async () => [{ address: EXAMPLE_HOST_ADDRESS, family: 4 }],
      },
    };
    const ids = new Map<Resource, string>();
    const responses: ExampleResponses = {};
    const ordered = [...operations].sort((a, b) => phase(a) - phase(b));
    for (const operation of ordered) {
      const encoded = qs.stringify(operation.example ?? {}, { arrayFormat: 'brackets' });
      const path = operation.path.replace('{id}', ids.get(operation.resource) ?? 'none');
      const post = operation.method === 'POST';
      const response = await handleSandboxRequest(
        new Request(`${ORIGIN}${path}${!post && encoded ? `?${encoded}` : ''}`, {
          method: operation.method,
          headers: {
            authorization: `Bearer ${key}`,
            ...(post ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
          },
          ...(post ? { body: encoded } : {}),
        }),
        deps,
      );
      const body: unknown = await response.json();
      responses[operation.id] = { status: response.status, body };
      const id = objectIdIn(body, operation.resource);
      if (id && !ids.has(operation.resource)) ids.set(operation.resource, id);
    }
    // The calls above made, changed and deleted objects: the events they recorded are the
    // events catalog's examples, the newest of each type (so `customer.updated` shows the
    // `previous_attributes` of the update example).
    const events = await handleSandboxRequest(
      new Request(`${ORIGIN}/v1/events?limit=100`, { headers: { authorization: `Bearer ${key}` } }),
      deps,
    );
    const listed = (await events.json()) as { data?: Array<{ type: string }> };
    for (const event of listed.data ?? []) {
      responses[eventExampleKey(event.type)] ??= { status: 200, body: event };
    }
    return responses;
  } finally {
    // The requests' log rows go in on the next turn of the event loop, in a shared commit:
    // let them, rather than close the database under them.
    await new Promise((resolve) => setImmediate(resolve));
    await settleGroupCommit(db);
    await db.destroy();
  }
}
