import { describe, expect, it } from 'vitest';
import { renderPageMarkdown, type MarkdownSource } from '../../src/lib/markdown/render-page.ts';
import { markdownProblems } from '../../src/lib/markdown/markdown-lint.ts';
import { KEY_PLACEHOLDERS, llmsFull, llmsIndex } from '../../src/lib/markdown/llms.ts';
import type { MarkdownBundle } from '../../src/lib/markdown/page-markdown.ts';
import { STANDINS } from '../../src/lib/page-template/standins.ts';

const page = (body: string): MarkdownSource => ({
  url: '/docs/example',
  title: 'Example page',
  description: 'What the example page is for.',
  body,
});

const BODY = [
  'Intro with a [link to keys](/docs/keys#rolling) and [one here](#below).',
  '',
  '<Steps>',
  '',
  '1. ## Get your keys',
  '',
  '   ```bash title="Your keys"',
  '   export KEY={{SECRET_KEY}}',
  '   ```',
  '',
  '2. ## Create a customer',
  '',
  '   <TryIt method="POST" path="/v1/customers" params={{ email: "jenny@example.com", metadata: { order_id: "6735" } }} />',
  '',
  '   <LiveStatus />',
  '',
  '</Steps>',
  '',
  '<Aside type="caution">',
  '',
  'Never put a **secret** key in a browser.',
  '',
  '</Aside>',
  '',
  '<CodeSample>',
  '',
  '```bash tab="node"',
  'npm install stripe',
  '```',
  '',
  '```bash tab="python"',
  'pip install stripe',
  '```',
  '',
  '</CodeSample>',
  '',
  '| Key | Where |',
  '| --- | ----- |',
  '| `sk_test_` | server |',
  '',
  '<Request method="GET" path="/v1/customers/cus_123" />',
].join('\n');

describe('a docs page as Markdown', () => {
  const curl = renderPageMarkdown(page(BODY), { language: 'curl', examples: {} });
  const python = renderPageMarkdown(page(BODY), { language: 'python', examples: {} });

  it('opens with the title and the description, and leaves no component tag', () => {
    expect(curl.startsWith('# Example page\n\n> What the example page is for.\n')).toBe(true);
    expect(markdownProblems(curl)).toEqual([]);
    expect(markdownProblems(python)).toEqual([]);
    for (const tag of ['<Steps', '<TryIt', '<Aside', '<CodeSample', '<LiveStatus', '<Request']) {
      expect(curl).not.toContain(tag);
    }
  });

  it('turns steps into a numbered list, an aside into a labelled quote, and keeps tables', () => {
    expect(curl).toMatch(/^1\. ## Get your keys$/m);
    expect(curl).toMatch(/^2\. ## Create a customer$/m);
    expect(curl).toContain('> **Caution:** Never put a **secret** key in a browser.');
    expect(curl).toContain('| Key | Where |');
    expect(curl).toContain('| `sk_test_` | server |');
  });

  it('shows a try-it as its curl request with the page it runs on, keys and origin as stand-ins', () => {
    expect(curl).toContain(`curl ${STANDINS.apiBase}/v1/customers \\`);
    expect(curl).toMatch(new RegExp(`^\\s+-u ${STANDINS.secretKey}:`, 'm'));
    expect(curl).toContain(`You can run this request on the page`);
    expect(curl).toContain(`${STANDINS.apiBase}/docs/example`);
    expect(curl).toContain(`export KEY=${STANDINS.secretKey}`);
    // An id in an author's path stands for the reader's latest customer.
    expect(curl).toContain(`${STANDINS.apiBase}/v1/customers/${STANDINS.customerId}`);
  });

  it("shows curl, plus the reader's own language when it is another", () => {
    expect(curl).not.toContain('```python');
    expect(python).toContain('```python');
    expect(python).toContain('import stripe');
    expect(python.split('```bash\n').length).toBeGreaterThan(1);
    // A sample with tabs: the reader's tab only; curl readers get its first.
    expect(python).toContain('pip install stripe');
    expect(python).not.toContain('npm install stripe');
    expect(curl).toContain('npm install stripe');
  });

  it('links other pages absolutely, at their Markdown', () => {
    expect(curl).toContain(`[link to keys](${STANDINS.apiBase}/docs/keys.md#rolling)`);
    expect(curl).toContain(`[one here](${STANDINS.apiBase}/docs/example.md#below)`);
  });
});

describe('the Markdown check', () => {
  it('passes fenced code with a language, tags inside code included', () => {
    expect(markdownProblems('Text `<Aside>`.\n\n   ```mdx\n   <Aside>x</Aside>\n   ```\n')).toEqual([]);
    expect(markdownProblems('````md\n```\nnested\n```\n````\n')).toEqual([]);
    // An escaped backtick opens no code span, so the span after it still hides its tag.
    expect(markdownProblems('Press Ctrl+\\`.\n\nThen `<Steps>` and `a`.')).toEqual([]);
  });

  it('finds a fence never closed, a fence without a language, and tags in the text', () => {
    expect(markdownProblems('```bash\necho hi\n')).toEqual(['line 1: a code fence that is never closed']);
    expect(markdownProblems('```\necho hi\n```\n')).toEqual(['line 1: a code fence without a language']);
    expect(markdownProblems('A <div class="x">box</div> and <Steps> and <br/> and <!-- note -->')).toEqual([
      'a tag in the text: <div',
      'a tag in the text: </div',
      'a tag in the text: <Steps',
      'a tag in the text: <br',
      'a tag in the text: <!--',
    ]);
    // A closing fence must be as long as the opening one.
    expect(markdownProblems('````bash\nx\n```\n')).toEqual(['line 1: a code fence that is never closed']);
  });
});

describe('llms.txt and llms-full.txt', () => {
  const bundle: MarkdownBundle = {
    pages: [
      {
        url: '/docs/keys',
        title: 'API keys',
        description: 'The keys.',
        group: 'Get started',
        markdown: Object.fromEntries(
          ['curl', 'cli', 'node', 'python', 'ruby', 'php', 'go', 'java', 'dotnet'].map((language) => [
            language,
            `# API keys\n\n\`\`\`bash\ncurl ${STANDINS.apiBase}/v1/customers -u ${STANDINS.secretKey}:\n\`\`\`\n`,
          ]),
        ) as MarkdownBundle['pages'][number]['markdown'],
      },
    ],
  };
  const origin = new URL('https://docs.example.com');

  it('lists every page by its absolute .md URL under its sidebar group, in the llmstxt.org shape', () => {
    const index = llmsIndex(bundle, origin);
    expect(index.startsWith('# Keyway\n\n> ')).toBe(true);
    expect(index).toContain(
      '## Get started\n\n- [API keys](https://docs.example.com/docs/keys.md): The keys.',
    );
    expect(index).toContain('https://docs.example.com/v1');
    expect(index).toContain('(https://docs.example.com/openapi.json)');
    // Only the link sections are headed: the instructions sit before the first H2.
    expect(index.indexOf('Instructions for assistants')).toBeLessThan(index.indexOf('\n## '));
  });

  it('puts placeholders where keys go, not key-shaped', () => {
    const full = llmsFull(bundle, origin);
    expect(full).toContain(`curl https://docs.example.com/v1/customers -u ${KEY_PLACEHOLDERS.secretKey}:`);
    expect(full).not.toMatch(/(sk|pk|rk)_(test|live)_[0-9A-Za-z]{24}(?![0-9A-Za-z_])/);
    expect(full).not.toContain('KwStandIn');
  });
});
