import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/spec/errors.ts';
import { openApiDocument } from '../../src/spec/openapi.ts';
import { OPERATIONS, type OperationSpec } from '../../src/spec/operations.ts';
import type { Rule, Schema } from '../../src/spec/rules.ts';
import { inputAttributes, paramType, ruleAt, SAMPLE_OPERATIONS } from '../../src/isomorphic/resolve-call.ts';
import { routeFor, ROUTES } from '../../src/sandbox/router.ts';
import { fieldChanges } from '../../src/sandbox/field-changes.ts';
import { SandboxError } from '../../src/sandbox/errors.ts';

const operations = OPERATIONS as readonly OperationSpec[];

/** Every rule of a schema with its bracketed path, nested ones included. */
function rulesOf(schema: Schema, prefix = ''): Array<[string, Rule]> {
  return Object.entries(schema).flatMap(([name, rule]) => {
    const path = prefix ? `${prefix}[${name}]` : name;
    return rule.kind === 'object'
      ? [[path, rule] as [string, Rule], ...rulesOf(rule.fields, path)]
      : [[path, rule]];
  });
}

describe('the API declaration', () => {
  it('names each operation once, with an id that can be a page anchor', () => {
    const ids = operations.map((operation) => operation.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z]+(?:-[a-z]+)+$/);
    const calls = operations.map((operation) => `${operation.method} ${operation.path}`);
    expect(new Set(calls).size).toBe(calls.length);
  });

  it('describes every parameter, nested ones too', () => {
    for (const operation of operations) {
      expect(operation.summary.length, operation.id).toBeGreaterThan(5);
      expect(operation.description.length, operation.id).toBeGreaterThan(10);
      for (const [path, rule] of rulesOf(operation.params)) {
        expect(rule.description.trim().length, `${operation.id} ${path}`).toBeGreaterThan(5);
      }
      for (const name of operation.required ?? []) expect(Object.keys(operation.params)).toContain(name);
    }
  });

  it('gives reads read access and changes write access', () => {
    for (const operation of operations) {
      expect(operation.access, operation.id).toBe(operation.method === 'GET' ? 'read' : 'write');
    }
  });
});

describe('what is derived from it', () => {
  it('routes every operation, and only those', () => {
    expect(ROUTES.map((route) => route.operation.id)).toEqual(operations.map((operation) => operation.id));
    for (const operation of operations) {
      const path = operation.path.replace('{id}', 'obj_123');
      const { route, objectId } = routeFor(operation.method, path, 'http://localhost:4321');
      expect(route.operation.id).toBe(operation.id);
      expect(objectId).toBe(operation.path.includes('{id}') ? 'obj_123' : undefined);
    }
    expect(() => routeFor('GET', '/v1/charges', 'http://localhost:4321')).toThrow(SandboxError);
  });

  it('gives the samples every operation with the declared parameters and their types', () => {
    expect(SAMPLE_OPERATIONS.map((operation) => operation.id)).toEqual(
      operations.map((operation) => operation.id),
    );
    for (const [index, sample] of SAMPLE_OPERATIONS.entries()) {
      const declared = operations[index]!;
      expect(sample).toMatchObject({
        method: declared.method,
        pathTemplate: declared.path,
        resource: declared.resource,
      });
      expect(Object.keys(sample.params)).toEqual(Object.keys(declared.params));
    }
  });

  it('maps each kind of rule to the type a sample generator needs', () => {
    const d = { description: 'x' };
    expect(paramType({ kind: 'string', ...d })).toBe('string');
    expect(paramType({ kind: 'integer', ...d })).toBe('integer');
    expect(paramType({ kind: 'range', ...d })).toBe('range');
    expect(paramType({ kind: 'metadata', ...d })).toBe('string-map');
    expect(paramType({ kind: 'list', ...d })).toBe('string-list');
    expect(
      paramType({
        kind: 'object',
        ...d,
        fields: {
          a: { kind: 'string', ...d },
          b: { kind: 'object', ...d, fields: { c: { kind: 'integer', ...d } } },
        },
      }),
    ).toEqual({ object: { a: 'string', b: { object: { c: 'integer' } } } });
  });

  it('puts every operation and parameter in the OpenAPI document', () => {
    const document = openApiDocument('https://docs.example.test') as any;
    expect(document.openapi).toBe('3.1.0');
    expect(document.servers).toEqual([{ url: 'https://docs.example.test', description: expect.any(String) }]);
    for (const operation of operations) {
      const entry = document.paths[operation.path][operation.method.toLowerCase()];
      expect(entry.summary).toBe(operation.summary);
      const names =
        operation.method === 'POST'
          ? Object.keys(entry.requestBody.content['application/x-www-form-urlencoded'].schema.properties)
          : entry.parameters.filter((p: any) => p.in === 'query').map((p: any) => p.name);
      expect(names.sort()).toEqual(Object.keys(operation.params).sort());
      for (const code of operation.errors) {
        const status = String(ERROR_CODES[code].status);
        expect(entry.responses[status].description, `${operation.id} ${code}`).toContain(`\`${code}\``);
      }
    }
  });
});

describe('fieldChanges: parameters applied as declared', () => {
  const schema: Schema = {
    name: { kind: 'string', unsettable: true, description: 'x' },
    mode: { kind: 'string', unsettable: true, unsetValue: 'none', description: 'x' },
    tags: { kind: 'list', unsettable: true, description: 'x' },
    metadata: { kind: 'metadata', description: 'x' },
    expand: { kind: 'list', description: 'x' },
    place: {
      kind: 'object',
      unsettable: true,
      description: 'x',
      fields: {
        city: { kind: 'string', description: 'x' },
        inner: { kind: 'object', description: 'x', fields: { line: { kind: 'string', description: 'x' } } },
      },
    },
  };

  it('fills hashes in full, unsets to null, the declared value or an empty list, and skips expand', () => {
    expect(
      fieldChanges(
        schema,
        { name: null, mode: null, tags: null, expand: ['x'], place: { city: 'Paris' } },
        {},
      ),
    ).toEqual({
      name: null,
      mode: 'none',
      tags: [],
      place: { city: 'Paris', inner: { line: null } },
    });
    expect(fieldChanges(schema, { place: null }, {})).toEqual({ place: null });
  });

  it('merges metadata: a null value removes a key, null removes all, more than 50 keys is refused', () => {
    const current = { a: '1', b: '2' };
    expect(fieldChanges(schema, { metadata: { a: null, c: '3' } }, current)).toEqual({
      metadata: { b: '2', c: '3' },
    });
    expect(fieldChanges(schema, { metadata: null }, current)).toEqual({ metadata: {} });
    const many = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`k${i}`, 'v']));
    expect(() => fieldChanges(schema, { metadata: many }, current)).toThrow(
      /up to 50 keys, but you've set 51/,
    );
    expect(current).toEqual({ a: '1', b: '2' });
  });
});

describe('try-it fields take their checks from the declaration', () => {
  it('finds the rule of a bracketed field name', () => {
    expect(ruleAt('create-customer', 'shipping[address][city]')).toMatchObject({ kind: 'string', max: 200 });
    expect(ruleAt('create-customer', 'metadata[order_id]')).toMatchObject({ kind: 'metadata' });
    expect(ruleAt('create-customer', 'expand[]')).toMatchObject({ kind: 'list' });
    expect(ruleAt('create-customer', 'shipping[nope]')).toBeUndefined();
    expect(ruleAt('create-customer', 'constructor')).toBeUndefined();
    expect(ruleAt('no-such-operation', 'email')).toBeUndefined();
  });

  it('turns a rule into input attributes', () => {
    expect(inputAttributes(ruleAt('create-customer', 'email'))).toMatchObject({
      type: 'email',
      maxlength: 512,
    });
    expect(inputAttributes(ruleAt('list-customers', 'limit'))).toMatchObject({ inputmode: 'numeric' });
    expect(inputAttributes(ruleAt('create-customer', 'name')).title).toMatch(/name/);
    expect(inputAttributes(undefined)).toEqual({});
  });
});
