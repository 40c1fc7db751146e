import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkContent, formatProblem } from '../../scripts/content-check/index.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURES = 'tests/unit/fixtures/content-check';

/** The check's output for one fixture folder: `file:line:column: message` lines. */
async function lines(fixture: string): Promise<string[]> {
  const report = await checkContent({ root, docsDir: `${root}${FIXTURES}/${fixture}` });
  return report.problems.map(formatProblem);
}

describe('the content check', () => {
  it('passes a page that uses every kind of link, component and fence correctly', async () => {
    const report = await checkContent({ root, docsDir: `${root}${FIXTURES}/valid` });
    expect(report.problems.map(formatProblem)).toEqual([]);
    expect(report).toMatchObject({ files: 2, links: 11, components: 8, apiCalls: 3, fences: 3 });
  });

  it('reports broken internal links and anchors where they are written', async () => {
    const file = `${FIXTURES}/links/page.mdx`;
    expect(await lines('links')).toEqual([
      `${file}:11:3: Broken link "/docs/nowhere": there is no docs page /docs/nowhere (no content/docs/nowhere.mdx).`,
      `${file}:12:3: Broken link "/docs/other#second-heading": /docs/other has no heading with the id "second-heading". Its heading ids: only-heading.`,
      `${file}:12:52: Broken link "#there": this page has no heading with the id "there". Its heading ids: here.`,
      `${file}:13:3: Broken link "/pricing": the site has no page or file at /pricing.`,
      `${file}:13:28: Broken link "others": there is no docs page /docs/others (no content/docs/others.mdx).`,
      `${file}:15:4: Broken link "/docs/gone#x": there is no docs page /docs/gone (no content/docs/gone.mdx).`,
      `${file}:19:1: Broken link "/docs/other#nope": /docs/other has no heading with the id "nope". Its heading ids: only-heading.`,
    ]);
  });

  it('reports unknown components, unknown or missing props, wrong types and wrong contents', async () => {
    const file = `${FIXTURES}/components/page.mdx`;
    expect(await lines('components')).toEqual([
      `${file}:9:1: Unknown component <Callout>. Pages can use: Aside, CodeSample, EventExample, Example, LiveDetails, LiveStatus, ObjectFields, Operation, Operations, PropsTable, ReaderKeys, Request, Shell, Steps, TryIt, WebhookStatus.`,
      `${file}:11:8: <Aside> prop "type" must be one of "note", "tip", "caution", not "warning".`,
      `${file}:11:23: <Aside> has no prop "titel". Its props: type, title.`,
      `${file}:13:8: <Aside> prop "title" must be a string, not the number 42.`,
      `${file}:15:8: <Aside> prop "title" must be a string, not an attribute without a value (true).`,
      `${file}:17:15: <Aside> prop "title" must be written as a literal (a string, number, list or object of them) for the check to read it.`,
      `${file}:19:8: <Aside>: a spread {…} cannot be checked; write each prop out as name="value".`,
      `${file}:21:1: <Request> needs the prop "method": The HTTP method, in capitals.`,
      `${file}:24:3: <Shell> takes nothing between its tags; write it self-closing: <Shell … />.`,
      `${file}:27:13: <CodeSample> prop "samples" is set by the build; leave it out.`,
      `${file}:29:1: <CodeSample> may contain only code fences, not a paragraph; put prose outside it.`,
      `${file}:35:1: <CodeSample> has two fences for the "curl" tab; give this one its own with title="…" or tab=… in its meta.`,
      `${file}:42:1: <Steps> must contain one numbered list (1. …), not a bulleted list.`,
      `${file}:45:1: Unknown code fence option "titel". Fences take: title, tab.`,
      `${file}:49:44: <Request> prop "params" has params.email set to null: leave the parameter out, or give it a value.`,
      `${file}:51:44: <Request> prop "params" must be an object of request parameters, such as {{ email: "jenny@example.com" }}, not "limit=3".`,
    ]);
  });

  it('reports calls the samples cannot render or the sandbox would refuse, at the prop or parameter at fault', async () => {
    const report = await checkContent({ root, docsDir: `${root}${FIXTURES}/api-calls` });
    const found = report.problems.map((problem) => [`${problem.line}:${problem.column}`, problem.message]);
    const expected: Array<[place: string, message: string]> = [
      [
        '9:23',
        '<Request>: No sandbox operation matches GET /v1/charges. Supported calls: POST /v1/customers,',
      ],
      ['11:10', '<Request>: No sandbox operation matches POST /v1/events.'],
      [
        '18:5',
        '<Request>: POST /v1/customers does not accept the parameter "coupon". Accepted parameters: address,',
      ],
      [
        '22:68',
        '<TryIt>: The sandbox would refuse POST /v1/customers (400 parameter_invalid_string): Invalid invoice_prefix: use 3 to 12 uppercase letters or numbers.',
      ],
      [
        '24:54',
        '<Request>: The sandbox would refuse GET /v1/customers (400 parameter_invalid_integer): This value must be greater than or equal to 1.',
      ],
      ['26:62', '(400 parameter_invalid_string): This property cannot be expanded (email).'],
      [
        '28:77',
        'The sandbox would refuse GET /v1/events (400): You may only specify one of these parameters: type, types.',
      ],
      ['30:79', 'You may only specify one of these parameters: ending_before, starting_after.'],
      ['32:55', '(400 parameter_unknown): Received unknown parameter: address[town]'],
      ['34:26', '(404): Unrecognized request URL (DELETE: /v1/customers/cus_0123456789'],
    ];
    expect(found.map(([place]) => place)).toEqual(expected.map(([place]) => place));
    for (const [index, [, message]] of expected.entries()) expect(found[index]![1]).toContain(message);
    expect(report.apiCalls).toBe(10);
  });

  it('reports bad frontmatter at its field, and a page MDX cannot parse at the parser’s position', async () => {
    expect(await lines('pages')).toEqual([
      `${FIXTURES}/pages/frontmatter.mdx:3:1: Frontmatter: description must be a sentence (at least 10 characters)`,
      `${FIXTURES}/pages/frontmatter.mdx:5:3: Frontmatter: sidebar.group must be one of: Get started, Guides, API reference, Contributing`,
      `${FIXTURES}/pages/syntax.mdx:11:1: Cannot parse this page: Expected a closing tag for \`<Aside>\` (11:1-11:8)`,
    ]);
  });

  it('passes the real content, every page of it', async () => {
    const report = await checkContent({ root });
    expect(report.problems.map(formatProblem)).toEqual([]);
    expect(report.files).toBeGreaterThanOrEqual(9);
    expect(report.links).toBeGreaterThan(20);
    // The reference's own calls are made from the declaration's examples, not written in pages.
    expect(report.apiCalls).toBeGreaterThan(5);
  });
});

describe('npm run check:content', () => {
  const run = (...args: string[]) =>
    spawnSync(
      process.execPath,
      [
        '--experimental-strip-types',
        '--disable-warning=ExperimentalWarning',
        'scripts/check-content.ts',
        ...args,
      ],
      { cwd: root, encoding: 'utf8' },
    );

  it('prints one summary line and exits 0 when the content is fine', () => {
    const result = run();
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(
      /^Content OK: checked \d+ files, \d+ internal links, \d+ components \(\d+ API calls\), \d+ code fences\.\n$/,
    );
    expect(result.status).toBe(0);
  });

  it('prints each problem as file:line:column: message and exits 1', () => {
    const result = run(`${FIXTURES}/links`);
    expect(result.stderr).toContain(`${FIXTURES}/links/page.mdx:11:3: Broken link "/docs/nowhere"`);
    expect(result.stderr).toMatch(/\n7 problems in the docs content \(checked 2 files, 9 internal links/);
    expect(result.status).toBe(1);
  });

  it('says so when the docs folder does not exist', () => {
    const result = run('no/such/folder');
    expect(result.stderr).toContain('There is no docs folder at');
    expect(result.status).toBe(1);
  });
});
