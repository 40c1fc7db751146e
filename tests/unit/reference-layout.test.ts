import { AstroError } from 'astro/errors';
import type { Heading, Root } from 'mdast';
import type { MdxJsxFlowElement } from 'mdast-util-mdx-jsx';
import remarkMdx from 'remark-mdx';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkContent, formatProblem } from '../../scripts/content-check/index.ts';
import { remarkOperations } from '../../src/lib/reference/operations-layout.ts';
import { OPERATIONS } from '../../src/spec/operations.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const customerIds = OPERATIONS.filter((operation) => operation.resource === 'customers').map((op) => op.id);

/** A page body laid out as the docs build does it. */
function laidOut(mdx: string): Root {
  const tree = unified().use(remarkParse).use(remarkMdx).parse(mdx) as Root;
  remarkOperations()(tree);
  return tree;
}

describe('<Operations> in a reference page', () => {
  it('stands for every declared operation of its resource, in order, each under a heading with its id', () => {
    const tree = laidOut('<Operations resource="customers" />\n');
    const operations = tree.children[0] as MdxJsxFlowElement;
    const headings = operations.children.filter((node): node is Heading => node.type === 'heading');
    expect(headings.map((heading) => heading.data?.hProperties?.id)).toEqual(customerIds);
    expect(headings.map((heading) => (heading.children[0] as { value: string }).value)).toEqual(
      OPERATIONS.filter((operation) => operation.resource === 'customers').map((op) => op.summary),
    );
    const elements = operations.children.filter((node) => node.type === 'mdxJsxFlowElement');
    expect(elements.map((element) => element.attributes[0]?.value)).toEqual(customerIds);
  });

  it("keeps the prose an author wrote for an operation, in that operation's place", () => {
    const tree = laidOut(
      '<Operations resource="customers">\n  <Operation id="list-customers">\n    Page with `starting_after`.\n  </Operation>\n</Operations>\n',
    );
    const children = (tree.children[0] as MdxJsxFlowElement).children;
    const list = children.findIndex(
      (node) => node.type === 'mdxJsxFlowElement' && node.attributes[0]?.value === 'list-customers',
    );
    expect((children[list - 1] as Heading).data?.hProperties?.id).toBe('list-customers');
    expect(JSON.stringify(children[list])).toContain('starting_after');
    expect(children).toHaveLength(customerIds.length * 2);
  });

  it('fails the build with a hint when an operation id is not one of the resource', () => {
    const build = () =>
      laidOut(
        '<Operations resource="customers">\n  <Operation id="create-a-customer">\n    x\n  </Operation>\n</Operations>\n',
      );
    expect(build).toThrow(AstroError);
    expect(build).toThrow(
      '<Operation id="create-a-customer">: the customers resource has no operation with that id. (line 2)',
    );
    try {
      build();
    } catch (error) {
      expect((error as AstroError).hint).toBe(
        `Its operations (src/spec/operations.ts): ${customerIds.join(', ')}.`,
      );
    }
  });

  it('fails the build for an <Operation> outside <Operations>, which would have no anchor', () => {
    expect(() => laidOut('<Operation id="create-customer" />\n')).toThrow(
      '<Operation id="create-customer"> is outside <Operations>.',
    );
  });
});

describe('the content check of operations', () => {
  it('reports wrong ids, repeats, stray contents and anchors by line, and knows the laid-out anchors', async () => {
    const file = 'tests/unit/fixtures/content-check/operations/page.mdx';
    const report = await checkContent({
      root,
      docsDir: `${root}tests/unit/fixtures/content-check/operations`,
    });
    const ids = customerIds.join(', ');
    const all = OPERATIONS.map((operation) => `"${operation.id}"`).join(', ');
    expect(report.problems.map(formatProblem)).toEqual([
      `${file}:9:64: Broken link "#create-a-customer": this page has no heading with the id "create-a-customer". Its heading ids: ${ids}.`,
      `${file}:15:3: <Operation id="retrieve-event">: the customers resource has no operation with that id. Its operations (src/spec/operations.ts): ${ids}.`,
      `${file}:18:3: <Operation id="create-customer"> is written twice. Keep one, with all the prose for that operation.`,
      `${file}:22:1: <Operations resource="customers"> may contain only <Operation id="…"> elements. Put prose for an operation between the tags of its <Operation>, and other prose outside <Operations>.`,
      `${file}:26:1: <Operation id="delete-customer"> is outside <Operations>. Put it inside the <Operations resource="…"> of its resource, which gives it its heading and anchor.`,
      `${file}:30:1: <Operation id="delete-a-customer"> is outside <Operations>. Put it inside the <Operations resource="…"> of its resource, which gives it its heading and anchor.`,
      `${file}:30:12: <Operation> prop "id" must be one of ${all}, not "delete-a-customer".`,
    ]);
  });
});
