import type { Nodes, Root } from 'mdast';
import type { MdxJsxFlowElement, MdxJsxTextElement } from 'mdast-util-mdx-jsx';
import remarkGfm from 'remark-gfm';
import remarkMdx from 'remark-mdx';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { attributeOf, expandOperations } from '../../lib/reference/operations-layout.ts';
import { resolveApiCall } from '../../isomorphic/resolve-call.ts';
import { operationById } from '../../spec/operations.ts';
import type { SearchSection } from '../../isomorphic/search/engine.ts';

/** A docs page as the index needs it: its MDX source and the headings Astro rendered. */
export interface PageSource {
  /** `/docs/…` */
  url: string;
  title: string;
  description: string;
  /** The MDX body, without frontmatter. */
  body: string;
  /** From `render(entry)`, in document order: the ids Astro gave the headings. */
  headings: ReadonlyArray<{ slug: string; text: string }>;
}

/** Author tokens such as `{{SECRET_KEY}}`: never indexed, whatever they stand for. */
const AUTHOR_TOKEN = /\{\{[A-Z_]+\}\}/g;

/** Nodes with nothing a reader searches for: code (it holds keys), imports, expressions, raw HTML. */
const SKIPPED = new Set(['code', 'mdxjsEsm', 'mdxFlowExpression', 'mdxTextExpression', 'html', 'yaml']);

/** Nodes that run on within a line; every other node ends with a space, so words never fuse. */
const PHRASING = new Set(['text', 'inlineCode', 'emphasis', 'strong', 'delete', 'link', 'mdxJsxTextElement']);

const parser = unified().use(remarkParse).use(remarkMdx).use(remarkGfm);

/**
 * Splits a page into sections at its headings: the text above the first heading (with the
 * page's description) is the page itself, each heading starts a section at its anchor.
 * Code is left out, so no key, stand-in or sample token reaches the index; `<Request>`,
 * `<TryIt>` and `<Shell>` contribute their method, path and command.
 */
export function pageSections(page: PageSource): SearchSection[] {
  const tree = parser.parse(page.body) as Root;
  // The reference's operations become headings and sections as the build lays them out.
  expandOperations(tree);
  const sections: SearchSection[] = [];
  // The page's introduction sits under its title, the page's own <h1>.
  let current = { url: page.url, heading: page.title, text: [page.description, ' '], api: [] as string[] };
  let headingIndex = 0;

  const finish = () =>
    sections.push({
      url: current.url,
      page: page.title,
      heading: current.heading,
      text: clean(current.text.join('')),
      api: clean(current.api.join(' ')),
    });

  // Where text goes: the current section, or a heading's own words while it is read.
  // Headings can sit deep inside components (a step's heading inside <Steps>), so the
  // section changes wherever the walk meets one.
  let sink = current.text;
  const visit = (node: Nodes): void => {
    if (SKIPPED.has(node.type)) return;
    if (node.type === 'heading') {
      sink = [];
      for (const child of node.children) visit(child);
      const heading = clean(sink.join(''));
      const rendered = page.headings[headingIndex++];
      if (!rendered || normalizeHeading(rendered.text) !== normalizeHeading(heading)) {
        throw new Error(
          `Search index: heading "${heading}" in ${page.url} does not match the rendered heading ` +
            `"${rendered?.text ?? '(none)'}", so its anchor is unknown.`,
        );
      }
      finish();
      current = { url: `${page.url}#${rendered.slug}`, heading, text: [], api: [] };
      sink = current.text;
      return;
    }
    if (node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement') {
      const api = describeComponent(node);
      if (api && !current.api.includes(api)) current.api.push(api);
      // What the reference renders from the declaration: its description and parameter names.
      const operation = node.name === 'Operation' ? operationById(attributeOf(node, 'id') ?? '') : undefined;
      if (operation) sink.push(operation.description, ' ', Object.keys(operation.params).join(' '), ' ');
    }
    if (node.type === 'tableRow') {
      // Cells read as one line each, "cell — cell", so an excerpt of a table stays legible.
      const row = sink;
      const cells = node.children.map((cell) => {
        sink = [];
        for (const child of cell.children) visit(child);
        return clean(sink.join(''));
      });
      sink = row;
      sink.push(endSentence(cells.filter(Boolean).join(' — ')), ' ');
      return;
    }
    if (node.type === 'text' || node.type === 'inlineCode') sink.push(node.value);
    else if ('children' in node) for (const child of node.children) visit(child as Nodes);
    if (!PHRASING.has(node.type)) sink.push(' ');
  };

  for (const child of tree.children) visit(child);
  finish();
  if (headingIndex !== page.headings.length) {
    throw new Error(
      `Search index: ${page.url} renders ${page.headings.length} headings but its source has ${headingIndex}.`,
    );
  }
  return sections;
}

/** What an API component shows, in words a reader may search for. */
function describeComponent(node: MdxJsxFlowElement | MdxJsxTextElement): string | null {
  const attribute = (name: string) => attributeOf(node, name);
  if (node.name === 'Operation') {
    const operation = operationById(attribute('id') ?? '');
    return operation
      ? `${operation.method} ${operation.path.replace('{id}', ':id')} ${operation.action} ${operation.resource}`
      : null;
  }
  if (node.name === 'Request' || node.name === 'TryIt') {
    const method = attribute('method');
    const path = attribute('path');
    if (!method || !path) return null;
    const { operation } = resolveApiCall(method, path);
    return `${operation.method} ${operation.pathTemplate.replace('{id}', ':id')} ${operation.action} ${operation.resource}`;
  }
  if (node.name === 'Shell') return attribute('command') ?? null;
  return null;
}

/** A row's text with a full stop, unless its last cell already ends a sentence. */
function endSentence(text: string): string {
  return text === '' || /[.!?:;]$/.test(text) ? text : `${text}.`;
}

function clean(text: string): string {
  return text.replace(AUTHOR_TOKEN, '').replace(/\s+/g, ' ').trim();
}

/**
 * Astro's heading text can differ in spacing, carry the appended `#` anchor link, or have
 * typographic quotes and dashes where the source has plain ones (smartypants).
 */
function normalizeHeading(text: string): string {
  return text
    .replace(/#$/, '')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201C\u201D]/g, '"')
    .replace(/\u2014/g, '---')
    .replace(/\u2013/g, '--')
    .replace(/\u2026/g, '...')
    .replace(/\s+/g, ' ')
    .trim();
}
