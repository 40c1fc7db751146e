import type { Blockquote, Code, Paragraph, Parent, PhrasingContent, Root, RootContent } from 'mdast';
import type { MdxJsxFlowElement, MdxJsxTextElement } from 'mdast-util-mdx-jsx';
import remarkGfm from 'remark-gfm';
import remarkMdx from 'remark-mdx';
import remarkParse from 'remark-parse';
import remarkStringify from 'remark-stringify';
import { unified } from 'unified';
import { TOKENS, type Params } from '../../isomorphic/api-call.ts';
import { FENCE_OPTIONS, MDX_COMPONENTS, type PropSpec } from '../docs/mdx-registry.ts';
import { attributeOf, expandOperations } from '../reference/operations-layout.ts';
import { objectFields, type FieldRow } from '../reference/fields.ts';
import { parameterRows, type ParameterRow } from '../reference/parameters.ts';
import { eventExampleKey } from '../reference/event-examples.ts';
import { resourceObject } from '../reference/resource-object.ts';
import { samplesForCall } from '../snippets/call-samples.ts';
import { SAMPLE_LANGUAGES, type LanguageId } from '../snippets/languages/index.ts';
import { sampleFromFence } from '../snippets/sample-tabs.ts';
import { tokensToStandins } from '../page-template/standins.ts';
import { COMMON_ERRORS, ERROR_CODES } from '../../spec/errors.ts';
import { operationById } from '../../spec/operations.ts';
import type { Resource } from '../../spec/resources.ts';

/** A docs page as the renderer needs it. */
export interface MarkdownSource {
  /** `/docs/…` */
  url: string;
  title: string;
  description: string;
  /** The MDX body, without frontmatter. */
  body: string;
}

/** What the sandbox answered to each operation's example call, by operation id (made at build). */
export type ExampleBodies = Readonly<Record<string, { status: number; body: unknown }>>;

export interface RenderOptions {
  /** The reader's sample language: samples show curl and this one. */
  language: LanguageId;
  examples: ExampleBodies;
}

const mdxParser = unified().use(remarkParse).use(remarkMdx).use(remarkGfm);
const mdParser = unified().use(remarkParse).use(remarkGfm);
// Tables unpadded: aligned pipes cost many spaces per row and tell an assistant nothing.
const stringifier = unified()
  .use(remarkGfm, { tablePipeAlign: false })
  .use(remarkStringify, { bullet: '-', fence: '`', fences: true, rule: '-', emphasis: '_' });

/** The fence language for a sample language's grammar (`javascript` for node). */
const FENCE_LANGUAGE = new Map(SAMPLE_LANGUAGES.map((language) => [language.id, language.grammar]));

const ASIDE_LABELS: Record<string, string> = { note: 'Note', tip: 'Tip', caution: 'Caution' };

/**
 * A docs page as Markdown for assistants and other plain-text readers, from the same MDX the
 * HTML page is built from. Components become plain Markdown (samples fenced blocks, steps a
 * numbered list, asides a labelled quote, a try-it its request plus a pointer to the page),
 * and every reader-specific value is a stand-in, as in the HTML template, so the one
 * `fillForReader` fills both. Links to other pages are absolute and point at their `.md`.
 */
export function renderPageMarkdown(page: MarkdownSource, options: RenderOptions): string {
  const tree = mdxParser.parse(page.body) as Root;
  expandOperations(tree);
  const context: Context = { page, options };
  tree.children = convertAll(tree.children, context);
  const body = stringifier.stringify(tree as Root);
  const head = `# ${page.title}\n\n> ${page.description}\n\n`;
  return tokensToStandins(head + body).trimEnd() + '\n';
}

interface Context {
  page: MarkdownSource;
  options: RenderOptions;
}

function convertAll(nodes: readonly RootContent[], context: Context): RootContent[] {
  return nodes.flatMap((node) => convert(node, context));
}

/** One MDX node as Markdown nodes: components replaced, code given a language, links made absolute. */
function convert(node: RootContent, context: Context): RootContent[] {
  switch (node.type) {
    case 'mdxjsEsm':
    case 'mdxFlowExpression':
    case 'mdxTextExpression':
      return [];
    case 'mdxJsxFlowElement':
    case 'mdxJsxTextElement':
      return component(node, context);
    case 'code':
      return [fence(node.lang ?? 'text', node.value)];
    case 'link':
      node.url = absoluteUrl(node.url, context.page.url);
      break;
    default:
      break;
  }
  if ('children' in node) (node as Parent).children = convertAll((node as Parent).children, context);
  return [node];
}

function fence(lang: string, value: string): Code {
  return { type: 'code', lang: lang.toLowerCase(), meta: null, value };
}

/**
 * `/docs/keys#rolling` → `{{API_BASE}}/docs/keys.md#rolling`; `#anchor` → the page's own
 * `.md`; other site paths absolute; external links as they are. An assistant reading the
 * Markdown out of context can follow every link to more Markdown.
 */
function absoluteUrl(url: string, pageUrl: string): string {
  const resolved = url.startsWith('#') ? `${pageUrl}${url}` : url;
  if (!resolved.startsWith('/')) return resolved;
  const [path = '', hash] = resolved.split('#');
  const withMd = path.startsWith('/docs/') ? `${path}.md` : path;
  return `${TOKENS.apiBase}${withMd}${hash ? `#${hash}` : ''}`;
}

/** Markdown text parsed into nodes, for parts easier written as Markdown (tables, lines with code). */
function fragment(markdown: string): RootContent[] {
  return (mdParser.parse(markdown) as Root).children;
}

/** A table cell's text: pipes and line breaks would end the cell or the row. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): RootContent[] {
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return fragment([line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n'));
}

function component(node: MdxJsxFlowElement | MdxJsxTextElement, context: Context): RootContent[] {
  const attribute = (name: string) => attributeOf(node, name);
  const children = () => convertAll(node.children as RootContent[], context);
  switch (node.name) {
    case 'Steps':
    case 'Operations':
      return children();
    case 'Aside':
      return [aside(attribute('type') ?? 'note', attribute('title'), children())];
    case 'CodeSample':
      return codeSample(node, context.options.language);
    case 'Request':
      return callSamples(node, context.options.language);
    case 'TryIt':
      return [
        ...callSamples(node, context.options.language),
        ...fragment(
          `You can run this request on the page, with fields to edit and the response shown: ` +
            `${TOKENS.apiBase}${context.page.url}`,
        ),
      ];
    case 'Shell':
      return [
        fence('bash', attribute('command') ?? 'keyway help'),
        ...fragment(
          'Run it in the shell on the page, or in a terminal inside a clone of Keyway with `npx keyway`.',
        ),
      ];
    case 'ReaderKeys':
      // The page words this for who reads it; a sentence true for every reader is enough here.
      return fragment(
        'The samples carry your keys: your own test keys when you are signed in, otherwise sample keys made for your visit. Both work against the sandbox.',
      );
    case 'LiveStatus':
      return fragment('_On the page, a status line here turns green when your request reaches the sandbox._');
    case 'WebhookStatus':
      return fragment(
        '_On the page, a status line here turns green when your handler answers an event with a 2xx, and says what to fix when it does not._',
      );
    case 'EventExample':
      return eventExample(attribute('type') ?? '', context);
    case 'LiveDetails':
      return fragment("_On the page, your latest request's log entry and event appear here._");
    case 'Example':
      return [fence('mdx', exampleSource(node, context.page.body)), ...children()];
    case 'PropsTable':
      return propsTable(attribute('of') ?? '');
    case 'ObjectFields':
      return fieldsTable(objectFields(resourceObject(attribute('resource') as Resource).schema));
    case 'Operation':
      return operation(attribute('id') ?? '', children(), context);
    default:
      // Anything else (a plain HTML element in MDX) keeps its content and loses its tag.
      return children();
  }
}

function aside(type: string, title: string | undefined, content: RootContent[]): Blockquote {
  const label: PhrasingContent[] = [
    { type: 'strong', children: [{ type: 'text', value: `${title ?? ASIDE_LABELS[type] ?? 'Note'}:` }] },
    { type: 'text', value: ' ' },
  ];
  const [first, ...rest] = content;
  // The label leads the aside's first paragraph, as a reader sees the callout's heading.
  const lead: Paragraph =
    first?.type === 'paragraph'
      ? { type: 'paragraph', children: [...label, ...first.children] }
      : { type: 'paragraph', children: label };
  const body = (first?.type === 'paragraph' ? rest : content) as Blockquote['children'];
  return { type: 'blockquote', children: [lead, ...body] };
}

/** The tabs a reader sees in Markdown: curl, which runs anywhere, and their own language. */
function shownTabs(language: LanguageId): LanguageId[] {
  return language === 'curl' ? ['curl'] : ['curl', language];
}

function codeSample(node: MdxJsxFlowElement | MdxJsxTextElement, language: LanguageId): RootContent[] {
  const fences = (node.children as RootContent[]).filter((child): child is Code => child.type === 'code');
  const tabs = shownTabs(language);
  const chosen = fences.filter((code) =>
    tabs.includes(sampleFromFence(code.lang, code.meta, code.value).tab as LanguageId),
  );
  // A sample with no tab for this reader (installing an SDK, for a curl reader) shows its first.
  return (chosen.length > 0 ? chosen : fences.slice(0, 1)).map((code) =>
    fence(code.lang ?? 'text', code.value),
  );
}

function callSamples(node: MdxJsxFlowElement | MdxJsxTextElement, language: LanguageId): RootContent[] {
  const method = attributeOf(node, 'method') ?? 'GET';
  const path = attributeOf(node, 'path') ?? '/';
  return samplesFor(String(node.name), method, path, paramsOf(node), language);
}

function samplesFor(
  component: string,
  method: string,
  path: string,
  params: Params,
  language: LanguageId,
): RootContent[] {
  const { samples } = samplesForCall(component, method, path, params);
  const tabs = shownTabs(language);
  return samples
    .filter((sample) => tabs.includes(sample.tab as LanguageId))
    .map((sample) => fence(FENCE_LANGUAGE.get(sample.tab as LanguageId) ?? 'text', sample.code));
}

/**
 * The `params={{ … }}` object literal of a call, evaluated from its estree: only literals,
 * objects and arrays, which is all the content check lets authors write.
 */
function paramsOf(node: MdxJsxFlowElement | MdxJsxTextElement): Params {
  const found = node.attributes.find((a) => a.type === 'mdxJsxAttribute' && a.name === 'params');
  if (!found || typeof found.value !== 'object' || !found.value) return {};
  const program = found.value.data?.estree;
  const statement = program?.body[0];
  if (!statement || statement.type !== 'ExpressionStatement') return {};
  return literal(statement.expression as unknown as EstreeNode) as Params;
}

type EstreeNode = { type: string; [key: string]: unknown };

function literal(node: EstreeNode): unknown {
  if (node.type === 'Literal') return node.value;
  if (node.type === 'ArrayExpression') return (node.elements as EstreeNode[]).map(literal);
  if (node.type === 'UnaryExpression' && node.operator === '-')
    return -(literal(node.argument as EstreeNode) as number);
  if (node.type === 'ObjectExpression') {
    const entries = (node.properties as EstreeNode[]).map((property) => {
      const key = property.key as EstreeNode;
      const name = key.type === 'Identifier' ? (key.name as string) : String(key.value);
      return [name, literal(property.value as EstreeNode)];
    });
    return Object.fromEntries(entries);
  }
  throw new Error(`Markdown: a params value of type ${node.type} cannot be read.`);
}

/** The MDX between an `<Example>`'s tags, as its author wrote it, without the indent. */
function exampleSource(node: MdxJsxFlowElement | MdxJsxTextElement, body: string): string {
  const first = node.children[0]?.position?.start.offset;
  const last = node.children.at(-1)?.position?.end.offset;
  if (first === undefined || last === undefined) return '';
  const lineStart = body.lastIndexOf('\n', first) + 1;
  const lines = body.slice(lineStart, last).split('\n');
  const indent = Math.min(...lines.filter((line) => line.trim()).map((line) => line.match(/^ */)![0].length));
  return lines.map((line) => line.slice(indent)).join('\n');
}

function propsTable(of: string): RootContent[] {
  const specs: Readonly<Record<string, PropSpec>> =
    of === 'fence' ? FENCE_OPTIONS : (MDX_COMPONENTS[of as keyof typeof MDX_COMPONENTS]?.props ?? {});
  const rows = Object.entries(specs)
    .filter(([, spec]) => !spec.setByBuild)
    .map(([name, spec]) => [
      `\`${name}\``,
      spec.type.kind === 'choice'
        ? spec.type.values.map((value) => `\`"${value}"\``).join(', ')
        : spec.type.kind,
      spec.required ? 'yes' : 'no',
      spec.default ?? '',
      spec.description,
    ]);
  return rows.length > 0
    ? table(['Prop', 'Type', 'Required', 'Default', 'Description'], rows)
    : fragment('No props.');
}

/** Nested rows flattened, each named by its path, so a table stays one GFM table. */
function fieldsTable(rows: readonly FieldRow[]): RootContent[] {
  const flat = (list: readonly FieldRow[]): string[][] =>
    list.flatMap((row) => [
      [`\`${row.path.join('.')}\``, row.type, row.description + valuesNote(row.values)],
      ...flat(row.children),
    ]);
  return table(['Field', 'Type', 'Description'], flat(rows));
}

function valuesNote(values: readonly unknown[]): string {
  const list = values.map((value) => `\`${JSON.stringify(value)}\``).join(', ');
  if (values.length === 1) return ` Always ${list}.`;
  return values.length > 1 ? ` One of ${list}.` : '';
}

function parametersTable(rows: readonly ParameterRow[]): RootContent[] {
  const flat = (list: readonly ParameterRow[]): string[][] =>
    list.flatMap((row) => [
      [
        `\`${row.name}\``,
        row.type,
        row.required ? 'yes' : 'no',
        [row.description, ...row.constraints].join(' '),
      ],
      ...flat(row.children),
    ]);
  return table(['Parameter', 'Type', 'Required', 'Description'], flat(rows));
}

/** An event type's example, as the build's sandbox run recorded it (EventExample.astro). */
function eventExample(type: string, context: Context): RootContent[] {
  const example = context.options.examples[eventExampleKey(type)];
  if (!example) throw new Error(`Markdown: <EventExample type="${type}"> has no example event.`);
  return [fence('json', JSON.stringify(example.body, null, 2))];
}

/** One reference operation, as its HTML section shows it (src/components/mdx/Operation.astro). */
function operation(id: string, prose: RootContent[], context: Context): RootContent[] {
  const spec = operationById(id);
  if (!spec) throw new Error(`Markdown: <Operation id="${id}"> is not declared.`);
  const example = context.options.examples[spec.id];
  const body = example?.body as { id?: unknown } | undefined;
  const path = spec.path.replace('{id}', typeof body?.id === 'string' ? body.id : 'id_123');
  const errorLink = (code: string) => `[\`${code}\`](/docs/api/errors#${code})`;
  const parameters = parameterRows(spec.params, spec.required);
  const nodes: RootContent[] = [
    ...fragment(`\`${spec.method} ${spec.path}\`\n\n${spec.description}`),
    ...prose,
    ...fragment('### Parameters'),
    ...(parameters.length > 0 ? parametersTable(parameters) : fragment('None.')),
    ...fragment(`### Returns\n\nA \`${spec.returns}\` object.`),
    ...fragment(
      '### Errors\n\n' +
        spec.errors
          .map((code) => `- ${errorLink(code)} (${ERROR_CODES[code].status}): ${ERROR_CODES[code].summary}`)
          .join('\n') +
        `\n\nAnd, like every operation: ${COMMON_ERRORS.map(errorLink).join(', ')}.`,
    ),
    ...fragment(
      '### Events\n\n' +
        (spec.events.length === 0
          ? 'None: it changes nothing.'
          : `Records ${spec.events.map((type) => `[\`${type}\`](/docs/api/events#event-types)`).join(', ')}.`),
    ),
    ...fragment('### Example'),
    ...samplesFor('Operation', spec.method, path, (spec.example ?? {}) as Params, context.options.language),
    ...(example && example.status < 300
      ? [...fragment(`Response ${example.status}:`), fence('json', JSON.stringify(example.body, null, 2))]
      : []),
  ];
  // Links written here are site paths; make them absolute as the page's own are.
  return convertAll(nodes, context);
}
