import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SEARCH_INDEX_PATH, type SearchIndexFile } from '../../src/isomorphic/search/engine.ts';
import { COMMON_ERRORS, ERROR_CODES } from '../../src/spec/errors.ts';
import { RETURNED_OBJECTS } from '../../src/spec/objects.ts';
import { OPERATIONS, type OperationSpec } from '../../src/spec/operations.ts';
import { RESOURCES } from '../../src/spec/resources.ts';
import type { Rule } from '../../src/spec/rules.ts';
import { get } from '../support/http.ts';

/**
 * The API reference pages as the built server sends them, checked against the declaration
 * (src/spec) walked here on its own: every operation, parameter, field and error is on its
 * resource's page, and every example response is one the declaration allows.
 */

const operations = OPERATIONS as readonly OperationSpec[];
const pages = new Map<string, string>();
let errorsPage: string;

beforeAll(async () => {
  for (const resource of RESOURCES) {
    const response = await get(`/docs/api/${resource}`);
    expect(response.status, resource).toBe(200);
    pages.set(resource, await response.text());
  }
  errorsPage = await (await get('/docs/api/errors')).text();
});

/** The HTML an operation renders: from its section to the next. */
function sectionOf(operation: OperationSpec): string {
  const html = pages.get(operation.resource)!;
  const start = html.indexOf(`<section class="kw-op" data-operation="${operation.id}"`);
  expect(start, `${operation.id} has no section`).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</section>', start));
}

/** A parameter's names as sent, its hash's keys too: `address`, `address[city]`, `expand[]`. */
function wireNames(name: string, rule: Rule): string[] {
  switch (rule.kind) {
    case 'list':
      return [`${name}[]`];
    case 'metadata':
      return [name, `${name}[<key>]`];
    case 'range':
      return [name, ...['gt', 'gte', 'lt', 'lte'].map((bound) => `${name}[${bound}]`)];
    case 'object':
      return [
        name,
        ...Object.entries(rule.fields).flatMap(([key, field]) => wireNames(`${name}[${key}]`, field)),
      ];
    default:
      return [name];
  }
}

type Json = { properties?: Record<string, Json>; $ref?: string; anyOf?: Json[]; items?: Json };

/** Every field path of a zod schema, read from its JSON Schema: `address`, `address.city`, … */
function fieldPaths(schema: z.ZodType): string[] {
  const json = z.toJSONSchema(schema, { io: 'output' }) as Json & { $defs?: Record<string, Json> };
  const follow = (node: Json): Json => {
    const inner = node.anyOf?.find((option) => option.$ref || option.properties || option.items) ?? node;
    const resolved = inner.$ref ? json.$defs![inner.$ref.replace('#/$defs/', '')]! : inner;
    return resolved.items ? follow(resolved.items) : resolved;
  };
  const walk = (node: Json, prefix: string): string[] =>
    Object.entries(follow(node).properties ?? {}).flatMap(([name, child]) => [
      `${prefix}${name}`,
      ...walk(child, `${prefix}${name}.`),
    ]);
  return walk(json, '');
}

/** Text of highlighted HTML: tags dropped, entities decoded. */
function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

describe.each(operations.map((operation) => [operation.id, operation] as const))(
  'operation %s',
  (id, operation) => {
    it('has its anchor, heading, method and path', () => {
      const html = pages.get(operation.resource)!;
      expect(html).toContain(`<h2 id="${id}">${operation.summary}`);
      const section = sectionOf(operation);
      expect(section).toContain(`data-method="${operation.method}">${operation.method}</span>`);
      expect(section).toContain(`<code>${operation.path}</code>`);
    });

    it('has a row for every declared parameter, nested keys included', () => {
      const section = sectionOf(operation);
      const names = Object.entries(operation.params).flatMap(([name, rule]) => wireNames(name, rule));
      for (const name of names) expect(section, name).toContain(`data-row="${name}"`);
      for (const name of operation.required ?? []) {
        // A list is written as sent: `enabled_events[]`.
        const row = (operation.params[name]?.kind === 'list' ? `${name}[]` : name).replace(/[[\]]/g, '\\$&');
        expect(section).toMatch(
          new RegExp(`data-row="${row}"><th scope="row"><code>${row}</code><span[^>]*>required`),
        );
      }
    });

    it('has a row for every field of the object it returns', () => {
      const section = sectionOf(operation);
      const returns = section.slice(section.indexOf('class="kw-op__returns"'));
      const paths = fieldPaths(RETURNED_OBJECTS[operation.returns]);
      expect(paths.length).toBeGreaterThan(2);
      for (const path of paths) expect(returns, path).toContain(`data-row="${path}"`);
    });

    it('links each error it can return, and the common ones, to its section of the errors page', () => {
      const section = sectionOf(operation);
      for (const code of [...operation.errors, ...COMMON_ERRORS]) {
        expect(section, code).toContain(`href="/docs/api/errors#${code}"`);
      }
    });

    it('names the events it records', () => {
      const section = sectionOf(operation);
      for (const type of operation.events) expect(section).toContain(`<code>${type}</code>`);
    });

    it('shows the response the sandbox gave to its example, valid for the object it returns', () => {
      const section = sectionOf(operation);
      expect(section).toContain('Response 200');
      const panel = new RegExp(`id="kw-example-${id}"[^>]*>([\\s\\S]*?)</div>`).exec(section);
      expect(panel, 'no example response').not.toBeNull();
      const body: unknown = JSON.parse(textOf(panel![1]!));
      expect(() => RETURNED_OBJECTS[operation.returns].parse(body)).not.toThrow();
    });

    it('has samples and a try-it for its example call', () => {
      const section = sectionOf(operation);
      expect(section).toContain('data-kw-tryit');
      expect(section).toContain(`data-method="${operation.method}"`);
      expect(section.match(/role="tab"/g)?.length).toBeGreaterThanOrEqual(9);
    });
  },
);

describe('the object sections', () => {
  it.each(RESOURCES.map((resource) => [resource] as const))(
    'list every field of the %s object, each with its anchor',
    (resource) => {
      const retrieve = operations.find(
        (operation) => operation.resource === resource && operation.action === 'retrieve',
      )!;
      const html = pages.get(resource)!;
      const object = html.slice(0, html.indexOf('<div class="kw-operations">'));
      const name = retrieve.returns;
      for (const path of fieldPaths(RETURNED_OBJECTS[retrieve.returns])) {
        expect(object, path).toContain(
          `<tr id="${name}-object-${path.replace(/\./g, '-')}" data-row="${path}"`,
        );
      }
      for (const field of retrieve.expandable) {
        expect(object).toMatch(
          new RegExp(
            `data-row="${field}"><th scope="row"><code>${field}</code><span class="kw-ref-tag kw-ref-tag--expandable">`,
          ),
        );
      }
    },
  );

  it('give the customer object the anchors links use', () => {
    const html = pages.get('customers')!;
    expect(html).toContain('id="customer-object-email"');
    expect(html).toContain('id="customer-object-address-city"');
  });
});

describe('the errors page', () => {
  it('has a section for every error code the declaration names', () => {
    for (const code of Object.keys(ERROR_CODES)) expect(errorsPage, code).toContain(`<h3 id="${code}">`);
  });
});

describe('the search index', () => {
  it('has a section for every operation, at its anchor, with its method and path', async () => {
    const index = (await (await get(SEARCH_INDEX_PATH)).json()) as SearchIndexFile;
    for (const operation of operations) {
      const section = index.sections.find(
        (found) => found.url === `/docs/api/${operation.resource}#${operation.id}`,
      );
      expect(section, operation.id).toBeDefined();
      expect(section!.heading).toBe(operation.summary);
      expect(section!.api).toContain(`${operation.method} ${operation.path.replace('{id}', ':id')}`);
      expect(section!.text).toContain(operation.description.slice(0, 30));
    }
  });
});
