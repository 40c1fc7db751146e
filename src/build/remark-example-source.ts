import type { Root, RootContent } from 'mdast';
import type { MdxJsxFlowElement, MdxJsxTextElement } from 'mdast-util-mdx-jsx';
import type { VFile } from 'vfile';

/**
 * Gives every `<Example>` the MDX written between its tags, as its `source` prop, so
 * /docs/writing shows each example's source from the very text that renders it: the two
 * cannot drift apart. Runs before remarkCodeSamples, which replaces fences with nodes that
 * have no position in the file.
 */
export function remarkExampleSource() {
  return (tree: Root, file: VFile) => {
    visitExamples(tree, String(file.value));
  };
}

type Parent = { children: RootContent[] };
type JsxElement = MdxJsxFlowElement | MdxJsxTextElement;

function visitExamples(parent: Parent, text: string): void {
  for (const node of parent.children) {
    if ((node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement') && node.name === 'Example') {
      node.attributes.push({ type: 'mdxJsxAttribute', name: 'source', value: exampleSource(node, text) });
    }
    if ('children' in node) visitExamples(node as Parent, text);
  }
}

/** The text of an element's children, whole lines, without their shared indentation. */
export function exampleSource(element: JsxElement, text: string): string {
  const first = element.children[0]?.position?.start.offset;
  const last = element.children.at(-1)?.position?.end.offset;
  if (first === undefined || last === undefined) {
    const line = element.position?.start.line ?? '?';
    throw new Error(
      `<Example> at line ${line} is empty: put the MDX to show between <Example> and </Example>.`,
    );
  }
  const lines = text.slice(text.lastIndexOf('\n', first - 1) + 1, last).split('\n');
  const indents = lines.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)![0].length);
  const shared = Math.min(...indents);
  return lines.map((line) => line.slice(shared)).join('\n');
}
