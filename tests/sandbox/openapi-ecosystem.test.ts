import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servedResponseChecker, type ResponseCheck } from '../support/openapi.ts';
import { call, newReaderWithKeys, sharedBase, type Reader } from '../support/sandbox.ts';

/**
 * The served `/openapi.json` used as outside tools use it: the response checker catches a
 * body that drifts from it, and openapi-typescript turns it into types that a small
 * openapi-fetch client typechecks against (a wrong field name fails) and then runs with.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
let reader: Reader;
let check: ResponseCheck;

beforeAll(async () => {
  reader = await newReaderWithKeys();
  check = await servedResponseChecker(sharedBase());
});

describe('the response checker catches drift from the document', () => {
  let customer: Record<string, unknown>;
  beforeAll(async () => {
    const created = await call(sharedBase(), 'POST', '/v1/customers', {
      key: reader.secretKey,
      form: { email: 'drift@example.com', 'metadata[plan]': 'pro' },
    });
    customer = created.json;
    check('POST', '/v1/customers', created.status, customer);
  });

  it('a real customer passes; with one undeclared field it fails, naming the field', () => {
    expect(() => check('GET', `/v1/customers/${String(customer.id)}`, 200, customer)).not.toThrow();
    expect(() =>
      check('GET', `/v1/customers/${String(customer.id)}`, 200, { ...customer, extra: 1 }),
    ).toThrow(/\/extra: not declared in the document/);
  });

  it('a declared field of the wrong type fails, naming the field', () => {
    expect(() => check('POST', '/v1/customers', 200, { ...customer, balance: '0' })).toThrow(
      /\/balance: must be integer/,
    );
    const list = { object: 'list', url: '/v1/customers', has_more: false, data: [{ ...customer, email: 7 }] };
    expect(() => check('GET', '/v1/customers?limit=1', 200, list)).toThrow(
      /\/data\/0\/email: must be string/,
    );
  });

  it('an error body is checked against the error object, and a status the operation does not declare fails', () => {
    const error = { error: { type: 'invalid_request_error', message: 'No such customer' } };
    expect(() => check('GET', '/v1/customers/cus_x', 404, error)).not.toThrow();
    expect(() => check('GET', '/v1/customers/cus_x', 404, { error: { ...error.error, hint: 'x' } })).toThrow(
      /\/error\/hint: not declared/,
    );
    expect(() => check('GET', '/v1/customers/cus_x', 418, error)).toThrow(/declares no 418/);
  });
});

/** A client as a reader would write it from the generated types. */
const CLIENT = `import createClient from 'openapi-fetch';
import type { paths } from './api.ts';

const client = createClient<paths>({
  baseUrl: process.env.KEYWAY_BASE!,
  headers: { Authorization: 'Bearer ' + process.env.KEYWAY_KEY },
  // The sandbox takes Stripe's form encoding, not JSON.
  bodySerializer: (body: unknown) => new URLSearchParams(body as Record<string, string>).toString(),
});

const created = await client.POST('/v1/customers', {
  body: { email: 'typed@example.com', name: 'Typed Client' },
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
});
if (!created.data) throw new Error(JSON.stringify(created.error));
const id: string = created.data.id;
const retrieved = await client.GET('/v1/customers/{id}', { params: { path: { id } } });
const listed = await client.GET('/v1/customers', { params: { query: { limit: 100 } } });
const email: string | null | undefined = retrieved.data?.email;
console.log(JSON.stringify({ id, email, listed: listed.data?.data.map((customer) => customer.id) }));
`;

describe('openapi-typescript and openapi-fetch on the served document', () => {
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'keyway-typed-client-'));
    // The client imports openapi-fetch and @types/node as a reader's project would have them.
    symlinkSync(join(root, 'node_modules'), join(scratch, 'node_modules'));
    writeFileSync(join(scratch, 'package.json'), '{ "type": "module" }\n');
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  const typecheck = (file: string) =>
    spawnSync(
      process.execPath,
      [
        join(root, 'node_modules/typescript/bin/tsc'),
        '--noEmit',
        '--strict',
        '--noUncheckedIndexedAccess',
        '--exactOptionalPropertyTypes',
        '--target',
        'es2022',
        '--module',
        'nodenext',
        '--allowImportingTsExtensions',
        // Our client and the generated types are checked; the libraries' own .d.ts are theirs.
        '--skipLibCheck',
        '--types',
        'node',
        file,
      ],
      { cwd: scratch, encoding: 'utf8' },
    );

  it(
    'generates types that a typed client compiles against (a wrong field does not), and the client works',
    { timeout: 120_000 },
    async () => {
      const types = astToString(await openapiTS(new URL(`${sharedBase()}/openapi.json`)));
      writeFileSync(join(scratch, 'api.ts'), types);
      writeFileSync(join(scratch, 'client.ts'), CLIENT);
      // A misspelt field of the returned customer, and of the list's query. (A misspelt body
      // field is not caught: openapi-fetch's body type does not check excess properties.)
      writeFileSync(
        join(scratch, 'wrong.ts'),
        CLIENT.replace('retrieved.data?.email', 'retrieved.data?.emial').replace(
          '{ limit: 100 }',
          '{ limt: 100 }',
        ),
      );

      const good = typecheck('client.ts');
      expect(good.stdout + good.stderr, 'tsc on the client').toBe('');
      expect(good.status).toBe(0);
      const wrong = typecheck('wrong.ts');
      expect(wrong.status).not.toBe(0);
      expect(wrong.stdout).toMatch(/wrong\.ts\(\d+,\d+\): error TS\d+: .*'emial' does not exist/);
      expect(wrong.stdout).toMatch(/wrong\.ts\(\d+,\d+\): error TS\d+: .*'limt' does not exist/);

      const run = spawnSync(
        process.execPath,
        ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', 'client.ts'],
        {
          cwd: scratch,
          encoding: 'utf8',
          env: { ...process.env, KEYWAY_BASE: sharedBase(), KEYWAY_KEY: reader.secretKey },
        },
      );
      expect(run.stderr).toBe('');
      const result = JSON.parse(run.stdout) as { id: string; email: string; listed: string[] };
      expect(result.id).toMatch(/^cus_/);
      expect(result.email).toBe('typed@example.com');
      expect(result.listed).toContain(result.id);
    },
  );
});
