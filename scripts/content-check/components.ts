import type { Expression } from 'estree';
import type { Code, RootContent } from 'mdast';
import type { MdxJsxFlowElement, MdxJsxTextElement } from 'mdast-util-mdx-jsx';
import type { Node } from 'unist';
import { visit } from 'unist-util-visit';
import {
  FENCE_OPTIONS,
  MDX_COMPONENTS,
  isMdxComponentName,
  type ComponentSpec,
  type PropType,
} from '../../src/lib/docs/mdx-registry.ts';
import { layOutOperations, strayOperation } from '../../src/lib/reference/operations-layout.ts';
import type { Params } from '../../src/isomorphic/api-call.ts';
import { fenceMetaOptions, sampleFromFence } from '../../src/lib/snippets/sample-tabs.ts';
import { refusalOf } from './api-calls.ts';
import type { Page } from './pages.ts';
import { startOf, type FileProblems, type Place } from './problems.ts';
import { attributeExpression, evaluate, placeOf, propertyPlace, type StaticValue } from './static-value.ts';

type JsxElement = MdxJsxFlowElement | MdxJsxTextElement;

/** What the components check looked at in a page. */
export interface ComponentCounts {
  components: number;
  /** `<Request>` and `<TryIt>` calls checked against the sandbox. */
  apiCalls: number;
  fences: number;
}

/** A prop as written: its literal value, where it is, and its expression when it has one. */
interface WrittenProp {
  value: StaticValue;
  place: Place;
  expression?: Expression;
}

const COMPONENT_LIST = Object.keys(MDX_COMPONENTS).join(', ');

/**
 * Checks every component in a page against the registry (known name, known props, required
 * props present, values of the right type, the right things between its tags), every call
 * a `<Request>` or `<TryIt>` describes against the sandbox, and every code fence's options.
 */
export function checkComponents(page: Page, problems: FileProblems): ComponentCounts {
  const counts: ComponentCounts = { components: 0, apiCalls: 0, fences: 0 };
  const imported = importedNames(page);
  visit(page.tree, (node: Node, _index, parent) => {
    if (node.type === 'code') {
      counts.fences++;
      checkFence(node as Code, problems);
      return;
    }
    if (node.type !== 'mdxJsxFlowElement' && node.type !== 'mdxJsxTextElement') return;
    const element = node as JsxElement;
    const name = element.name;
    // Fragments, HTML elements (lower case) and a page's own imports are not ours to check.
    if (name === null || /^[a-z]/.test(name) || imported.has(name)) return;
    if (!isMdxComponentName(name)) {
      problems.add(
        startOf(element.position),
        `Unknown component <${name}>. Pages can use: ${COMPONENT_LIST}.`,
      );
      return;
    }
    counts.components++;
    const spec: ComponentSpec = MDX_COMPONENTS[name];
    const props = readProps(element, name, spec, problems);
    checkChildren(element, name, spec, problems);
    if (name === 'Operation' && (parent as JsxElement | undefined)?.name !== 'Operations') {
      const { message, hint } = strayOperation(element as MdxJsxFlowElement);
      problems.add(startOf(element.position), `${message} ${hint}`);
    }
    if ((name === 'Request' || name === 'TryIt') && props) {
      counts.apiCalls++;
      checkCall(element, name, props, problems);
    }
  });
  return counts;
}

/** Names a page binds with its own `import` statements. */
function importedNames(page: Page): Set<string> {
  const names = new Set<string>();
  visit(page.tree, 'mdxjsEsm', (node) => {
    for (const statement of node.data?.estree?.body ?? []) {
      if (statement.type !== 'ImportDeclaration') continue;
      for (const specifier of statement.specifiers) names.add(specifier.local.name);
    }
  });
  return names;
}

/**
 * Reads an element's props and reports what is wrong with them. Returns the props when
 * every one could be read and has the right type, so that the call they describe can be
 * checked; undefined otherwise.
 */
function readProps(
  element: JsxElement,
  name: string,
  spec: ComponentSpec,
  problems: FileProblems,
): Map<string, WrittenProp> | undefined {
  const props = new Map<string, WrittenProp>();
  let complete = true;
  const fail = (place: Place, message: string) => {
    problems.add(place, message);
    complete = false;
  };
  const authorProps = Object.keys(spec.props).filter((prop) => !spec.props[prop]!.setByBuild);
  for (const attribute of element.attributes) {
    const place = startOf(attribute.position);
    if (attribute.type === 'mdxJsxExpressionAttribute') {
      fail(place, `<${name}>: a spread {…} cannot be checked; write each prop out as name="value".`);
      continue;
    }
    const prop = Object.hasOwn(spec.props, attribute.name) ? spec.props[attribute.name] : undefined;
    if (!prop) {
      const known = authorProps.length ? `Its props: ${authorProps.join(', ')}.` : 'It takes no props.';
      fail(place, `<${name}> has no prop "${attribute.name}". ${known}`);
      continue;
    }
    if (prop.setByBuild) {
      fail(place, `<${name}> prop "${attribute.name}" is set by the build; leave it out.`);
      continue;
    }
    if (props.has(attribute.name)) {
      fail(place, `<${name}> has the prop "${attribute.name}" twice.`);
      continue;
    }
    let written: WrittenProp;
    if (attribute.value === null || attribute.value === undefined) {
      written = { value: true, place };
    } else if (typeof attribute.value === 'string') {
      written = { value: attribute.value, place };
    } else {
      const expression = attributeExpression(attribute.value.data?.estree ?? undefined);
      const read = expression ? evaluate(expression) : undefined;
      if (!expression || !read || 'notStatic' in read) {
        const at = read && 'notStatic' in read ? (placeOf(read.notStatic) ?? place) : place;
        fail(
          at,
          `<${name}> prop "${attribute.name}" must be written as a literal (a string, number, list or object of them) for the check to read it.`,
        );
        continue;
      }
      written = { value: read.value, place, expression };
    }
    const wrongType = typeProblem(prop.type, written.value, attribute.value === null);
    if (wrongType) {
      fail(written.place, `<${name}> prop "${attribute.name}" ${wrongType}`);
      continue;
    }
    props.set(attribute.name, written);
  }
  for (const [prop, propSpec] of Object.entries(spec.props)) {
    if (
      propSpec.required &&
      !props.has(prop) &&
      !element.attributes.some((a) => 'name' in a && a.name === prop)
    ) {
      fail(startOf(element.position), `<${name}> needs the prop "${prop}": ${propSpec.description}`);
    }
  }
  return complete ? props : undefined;
}

/** What is wrong with a value for a prop type, as the end of a sentence; undefined when nothing. */
function typeProblem(type: PropType, value: StaticValue, bare: boolean): string | undefined {
  const got = bare ? 'an attribute without a value (true)' : describe(value);
  switch (type.kind) {
    case 'string':
      return typeof value === 'string' ? undefined : `must be a string, not ${got}.`;
    case 'choice':
      return typeof value === 'string' && type.values.includes(value)
        ? undefined
        : `must be one of ${type.values.map((choice) => `"${choice}"`).join(', ')}, not ${got}.`;
    case 'params': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return `must be an object of request parameters, such as {{ email: "jenny@example.com" }}, not ${got}.`;
      }
      const bad = nullInside(value, 'params');
      return bad ? `has ${bad} set to null: leave the parameter out, or give it a value.` : undefined;
    }
  }
}

/** The path of the first null inside a value, which no form-encoded parameter can carry. */
function nullInside(value: StaticValue, path: string): string | undefined {
  if (value === null) return path;
  if (typeof value !== 'object') return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const found = nullInside(inner, Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`);
    if (found) return found;
  }
  return undefined;
}

function describe(value: StaticValue): string {
  if (typeof value === 'string') return `"${value}"`;
  if (typeof value === 'number') return `the number ${value}`;
  if (Array.isArray(value)) return 'a list';
  if (value !== null && typeof value === 'object') return 'an object';
  return String(value);
}

/** What a node is, in words: "a paragraph", "<Aside>". */
function kindOf(node: RootContent): string {
  if (node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement') return `<${node.name ?? ''}>`;
  if (node.type === 'list') return node.ordered ? 'a numbered list' : 'a bulleted list';
  const words: Partial<Record<RootContent['type'], string>> = {
    paragraph: 'a paragraph',
    heading: 'a heading',
    code: 'a code fence',
    blockquote: 'a quote',
    table: 'a table',
    thematicBreak: 'a horizontal rule',
    mdxFlowExpression: 'an {expression}',
    text: 'text',
  };
  return words[node.type] ?? `a ${node.type}`;
}

function checkChildren(element: JsxElement, name: string, spec: ComponentSpec, problems: FileProblems): void {
  const children = element.children as RootContent[];
  switch (spec.children) {
    case 'markdown':
      return;
    case 'none':
      if (children.length > 0) {
        problems.add(
          startOf(children[0]!.position),
          `<${name}> takes nothing between its tags; write it self-closing: <${name} … />.`,
        );
      }
      return;
    case 'operations':
      for (const problem of layOutOperations(element as MdxJsxFlowElement).problems) {
        problems.add(startOf(problem.node.position), `${problem.message} ${problem.hint}`);
      }
      return;
    case 'ordered-list': {
      const stray = children.find((child) => child.type !== 'list' || !child.ordered);
      if (stray || children.length !== 1) {
        const found = stray ? kindOf(stray) : children.length === 0 ? 'nothing' : 'several lists';
        problems.add(
          startOf((stray ?? element).position),
          `<${name}> must contain one numbered list (1. …), not ${found}.`,
        );
      }
      return;
    }
    case 'fences': {
      const fences = children.filter((child): child is Code => child.type === 'code');
      for (const child of children) {
        if (child.type !== 'code') {
          problems.add(
            startOf(child.position),
            `<${name}> may contain only code fences, not ${kindOf(child)}; put prose outside it.`,
          );
        }
      }
      if (fences.length === 0) {
        problems.add(startOf(element.position), `<${name}> has no code fences: put one or more inside it.`);
      }
      const tabs = new Set<string>();
      for (const fence of fences) {
        const { tab } = sampleFromFence(fence.lang, fence.meta, fence.value);
        if (tabs.has(tab)) {
          problems.add(
            startOf(fence.position),
            `<${name}> has two fences for the "${tab}" tab; give this one its own with title="…" or tab=… in its meta.`,
          );
        }
        tabs.add(tab);
      }
    }
  }
}

function checkCall(
  element: JsxElement,
  name: string,
  props: ReadonlyMap<string, WrittenProp>,
  problems: FileProblems,
): void {
  const method = props.get('method')!;
  const path = props.get('path')!;
  const params = props.get('params');
  const refusal = refusalOf(method.value as string, path.value as string, (params?.value ?? {}) as Params);
  if (!refusal) return;
  const at =
    refusal.at === 'method'
      ? method.place
      : refusal.at === 'path'
        ? path.place
        : ((params?.expression && propertyPlace(params.expression, refusal.at.param)) ?? params?.place);
  problems.add(at ?? startOf(element.position), `<${name}>: ${refusal.message}`);
}

function checkFence(fence: Code, problems: FileProblems): void {
  for (const [option] of fenceMetaOptions(fence.meta)) {
    if (!Object.hasOwn(FENCE_OPTIONS, option)) {
      problems.add(
        startOf(fence.position),
        `Unknown code fence option "${option}". Fences take: ${Object.keys(FENCE_OPTIONS).join(', ')}.`,
      );
    }
  }
}
