import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { newReaderWithKeys, type Reader } from '../support/sandbox.ts';

const baseUrl = inject('baseUrl');
const run = promisify(execFile);

/** The Inspector's own launcher, as `npx @modelcontextprotocol/inspector` runs it. */
const inspectorPackage = createRequire(import.meta.url).resolve(
  '@modelcontextprotocol/inspector/package.json',
);
const INSPECTOR = join(dirname(inspectorPackage), 'clients/launcher/build/index.js');

/** Runs the Inspector's command-line mode against /mcp and parses what it prints. */
async function inspect(key: string, ...args: string[]): Promise<unknown> {
  const { stdout } = await run(
    process.execPath,
    [
      INSPECTOR,
      '--cli',
      `${baseUrl}/mcp`,
      '--transport',
      'http',
      '--header',
      `Authorization: Bearer ${key}`,
      ...args,
    ],
    { timeout: 60_000 },
  );
  return JSON.parse(stdout) as unknown;
}

describe('a second, independent client: the MCP Inspector on the command line', () => {
  let reader: Reader;

  beforeAll(async () => {
    reader = await newReaderWithKeys(baseUrl);
  });

  it('lists the tools a secret key is offered', async () => {
    const listed = (await inspect(reader.secretKey, '--method', 'tools/list')) as {
      tools: Array<{ name: string; annotations?: { readOnlyHint?: boolean } }>;
    };
    expect(listed.tools.map((tool) => tool.name)).toEqual([
      'search_docs',
      'read_page',
      'list_operations',
      'describe_operation',
      'call_api',
      'recent_requests',
      'list_events',
      'get_event',
    ]);
    expect(listed.tools.find((tool) => tool.name === 'search_docs')!.annotations?.readOnlyHint).toBe(true);
  });

  it('calls search_docs and gets sections with absolute URLs', async () => {
    const called = (await inspect(
      reader.secretKey,
      '--method',
      'tools/call',
      '--tool-name',
      'search_docs',
      '--tool-arg',
      'query=customers',
    )) as { content: Array<{ type: string; text: string }>; isError?: boolean };
    expect(called.isError ?? false).toBe(false);
    const hits = JSON.parse(called.content[0]!.text) as Array<{ url: string }>;
    expect(hits.length).toBeGreaterThan(0);
    for (const hit of hits) expect(hit.url.startsWith(`${baseUrl}/docs/`)).toBe(true);
  });
});
