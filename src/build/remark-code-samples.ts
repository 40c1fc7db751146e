import type { Code, Root, RootContent } from 'mdast';
import type { MdxJsxFlowElement } from 'mdast-util-mdx-jsx';
import { sampleFromFence, type SampleSource } from '../lib/snippets/sample-tabs.ts';

/**
 * Hands every code fence in a docs page to `<CodeSample>`, so that all code in the docs
 * gets the reader's keys, a copy button and one highlighting pass:
 * - fences directly inside `<CodeSample>…</CodeSample>` become that sample's tabs;
 * - any other fence becomes a `<CodeSample>` of its own.
 * The fences travel as a JSON string prop, because MDX would otherwise render them first.
 */
export function remarkCodeSamples() {
  return (tree: Root) => {
    transformChildren(tree);
  };
}

type Parent = { children: RootContent[] };

function transformChildren(parent: Parent): void {
  parent.children = parent.children.map((node) => {
    if (node.type === 'code') return sampleElement([fenceSource(node)]);
    if (isCodeSampleElement(node)) return groupedSample(node);
    if ('children' in node) transformChildren(node as Parent);
    return node;
  });
}

function isCodeSampleElement(node: RootContent): node is MdxJsxFlowElement {
  return node.type === 'mdxJsxFlowElement' && node.name === 'CodeSample';
}

function groupedSample(element: MdxJsxFlowElement): MdxJsxFlowElement {
  const fences = element.children.filter((child): child is Code => child.type === 'code');
  const stray = element.children.find((child) => child.type !== 'code');
  if (stray) {
    throw new Error(
      `<CodeSample> may contain only code fences (found ${stray.type} at line ${stray.position?.start.line ?? '?'}). ` +
        'Put prose outside it.',
    );
  }
  return sampleElement(fences.map(fenceSource));
}

function fenceSource(node: Code): SampleSource {
  return sampleFromFence(node.lang, node.meta, node.value);
}

function sampleElement(samples: SampleSource[]): MdxJsxFlowElement {
  return {
    type: 'mdxJsxFlowElement',
    name: 'CodeSample',
    attributes: [{ type: 'mdxJsxAttribute', name: 'samples', value: JSON.stringify(samples) }],
    children: [],
  };
}
