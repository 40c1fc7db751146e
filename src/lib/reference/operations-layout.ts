import { AstroError } from 'astro/errors';
import type { Heading, Root, RootContent } from 'mdast';
import type { MdxJsxFlowElement, MdxJsxTextElement } from 'mdast-util-mdx-jsx';
import { OPERATIONS, type OperationSpec } from '../../spec/operations.ts';
import { RESOURCES } from '../../spec/resources.ts';

/**
 * `<Operations resource="customers">` in a reference page stands for every operation the
 * declaration has for that resource, in its order: each gets a heading (its summary, with
 * the operation id as anchor, so the table of contents, links and search reach it) and an
 * `<Operation id>` that renders it. Authors put prose for an operation between the tags of
 * an `<Operation id="…">` inside `<Operations>`; operations they say nothing about are
 * added anyway. Nothing is written into the MDX file, so prose is never overwritten, and a
 * newly declared operation appears without any edit to the page.
 */

type Parent = { children: RootContent[] };

/** What is wrong with an `<Operations>` element's contents, and how to fix it. */
export interface LayoutProblem {
  node: RootContent;
  message: string;
  hint: string;
}

const isElement = (node: RootContent, name: string): node is MdxJsxFlowElement =>
  node.type === 'mdxJsxFlowElement' && node.name === name;

/** A string attribute's value as written, or undefined. */
export function attributeOf(
  element: MdxJsxFlowElement | MdxJsxTextElement,
  name: string,
): string | undefined {
  const found = element.attributes.find((a) => a.type === 'mdxJsxAttribute' && a.name === name);
  return typeof found?.value === 'string' ? found.value : undefined;
}

/** The declared operations of a resource, in declaration order. */
export function operationsOf(resource: string): OperationSpec[] {
  return (OPERATIONS as readonly OperationSpec[]).filter((operation) => operation.resource === resource);
}

function heading(operation: OperationSpec): Heading {
  return {
    type: 'heading',
    depth: 2,
    children: [{ type: 'text', value: operation.summary }],
    data: { hProperties: { id: operation.id } },
  };
}

function operationElement(operation: OperationSpec): MdxJsxFlowElement {
  return {
    type: 'mdxJsxFlowElement',
    name: 'Operation',
    attributes: [{ type: 'mdxJsxAttribute', name: 'id', value: operation.id }],
    children: [],
  };
}

/**
 * The contents an `<Operations>` element stands for (a heading and an `<Operation>` per
 * declared operation, the author's where there is one), and what is wrong with what the
 * author wrote inside it.
 */
export function layOutOperations(element: MdxJsxFlowElement): {
  children: RootContent[];
  problems: LayoutProblem[];
} {
  const resource = attributeOf(element, 'resource') ?? '';
  const operations = operationsOf(resource);
  const problems: LayoutProblem[] = [];
  if (!(RESOURCES as readonly string[]).includes(resource)) {
    problems.push({
      node: element,
      message: `<Operations> got resource="${resource}", which the API declaration does not have.`,
      hint: `Use one of: ${RESOURCES.join(', ')}.`,
    });
  }
  const written = new Map<string, MdxJsxFlowElement>();
  const ids = operations.map((operation) => operation.id).join(', ') || 'none';
  for (const child of element.children as RootContent[]) {
    if (!isElement(child, 'Operation')) {
      problems.push({
        node: child,
        message: `<Operations resource="${resource}"> may contain only <Operation id="…"> elements.`,
        hint: 'Put prose for an operation between the tags of its <Operation>, and other prose outside <Operations>.',
      });
      continue;
    }
    const id = attributeOf(child, 'id') ?? '';
    if (!operations.some((operation) => operation.id === id)) {
      problems.push({
        node: child,
        message: `<Operation id="${id}">: the ${resource} resource has no operation with that id.`,
        hint: `Its operations (src/spec/operations.ts): ${ids}.`,
      });
    } else if (written.has(id)) {
      problems.push({
        node: child,
        message: `<Operation id="${id}"> is written twice.`,
        hint: 'Keep one, with all the prose for that operation.',
      });
    } else {
      written.set(id, child);
    }
  }
  const children = operations.flatMap((operation) => [
    heading(operation),
    written.get(operation.id) ?? operationElement(operation),
  ]);
  return { children, problems };
}

/** An `<Operation>` outside `<Operations>`, which would have no heading and no anchor. */
export function strayOperation(node: MdxJsxFlowElement): LayoutProblem {
  return {
    node,
    message: `<Operation id="${attributeOf(node, 'id') ?? ''}"> is outside <Operations>.`,
    hint: 'Put it inside the <Operations resource="…"> of its resource, which gives it its heading and anchor.',
  };
}

/**
 * Lays out every `<Operations>` in a tree. `onProblem` decides what a mistake does: the
 * build stops on it, the content check reports it by line, the search index goes on.
 */
export function expandOperations(tree: Root, onProblem: (problem: LayoutProblem) => void = () => {}): void {
  const visit = (parent: Parent) => {
    for (const node of parent.children) {
      if (isElement(node, 'Operations')) {
        const { children, problems } = layOutOperations(node);
        problems.forEach(onProblem);
        node.children = children as MdxJsxFlowElement['children'];
      } else if (isElement(node, 'Operation')) {
        onProblem(strayOperation(node));
      } else if ('children' in node) {
        visit(node as Parent);
      }
    }
  };
  visit(tree);
}

/** The remark plugin of the docs build: a mistake in `<Operations>` fails the build with a hint. */
export function remarkOperations() {
  return (tree: Root) =>
    expandOperations(tree, ({ node, message, hint }) => {
      const line = node.position?.start.line;
      throw new AstroError(line ? `${message} (line ${line})` : message, hint);
    });
}
