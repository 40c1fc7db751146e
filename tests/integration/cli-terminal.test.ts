import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { CookieJar, get, signUpReader, SECRET_KEY_PATTERN } from '../support/http.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const baseUrl = inject('baseUrl');

const keywayFunction = `keyway() { "${process.execPath}" --experimental-strip-types --disable-warning=ExperimentalWarning "${root}src/cli/keyway.ts" "$@"; }`;

/** Runs a shell script in which `keyway` is the project's CLI, as `npx keyway` would be. */
function runInShell(script: string, env: Record<string, string> = {}) {
  return spawnSync('bash', ['-c', `${keywayFunction}\n${script}`], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
}

/** The same, without blocking this process: for when this process answers the CLI itself. */
function runInShellAsync(
  script: string,
  env: Record<string, string>,
): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', `${keywayFunction}\n${script}`], {
      cwd: root,
      env: { ...process.env, ...env },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

/** The text a reader copies from a sample panel: the code with tags stripped and entities decoded. */
function panelText(html: string, tab: string): string {
  const start = html.indexOf(`data-tab="${tab}"`, html.indexOf('class="kw-sample__panel"'));
  const code = html.slice(html.indexOf('<code>', start) + 6, html.indexOf('</code>', start));
  return code
    .replace(/<[^>]+>/g, '')
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&amp;', '&');
}

describe('the terminal CLI', () => {
  it("runs the docs' CLI sample as copied, creating a customer", async () => {
    const jar = new CookieJar();
    await signUpReader(jar);
    const page = await (await get('/docs/api/customers?lang=cli', jar)).text();
    const sample = panelText(page, 'cli');
    expect(sample).toMatch(/^keyway customers create/);
    expect(sample).toContain(`--api-base ${baseUrl}`);
    const result = runInShell(sample);
    expect(result.status, result.stderr).toBe(0);
    const customer = JSON.parse(result.stdout) as { id: string; object: string };
    expect(customer.object).toBe('customer');
    expect(customer.id).toMatch(/^cus_/);
    expect(result.stderr).toMatch(/POST \/v1\/customers 200 \(req_[0-9A-Za-z]{14}\)/);
  });

  it('takes the key and server from the environment, and explains a mistake', async () => {
    const jar = new CookieJar();
    await signUpReader(jar);
    const key = (await (await get('/dashboard/apikeys', jar)).text()).match(SECRET_KEY_PATTERN)![0];
    const list = runInShell('keyway customers list --limit=1', {
      KEYWAY_API_KEY: key,
      KEYWAY_API_BASE: baseUrl,
    });
    expect(list.status, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toMatchObject({ object: 'list', url: '/v1/customers' });

    const typo = runInShell('keyway customers craete --email=a@b.co', {
      KEYWAY_API_KEY: key,
      KEYWAY_API_BASE: baseUrl,
    });
    expect(typo.status).toBe(2);
    expect(typo.stderr).toContain('Did you mean create?');

    const noKey = runInShell('keyway customers list', { KEYWAY_API_KEY: '', KEYWAY_API_BASE: baseUrl });
    expect(noKey.status).toBe(2);
    expect(noKey.stderr).toContain('No API key');

    const refused = runInShell(`keyway customers list --api-key sk_test_${'0'.repeat(24)}`, {
      KEYWAY_API_BASE: baseUrl,
    });
    expect(refused.status).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ error: { type: 'invalid_request_error' } });
  });

  it('refuses a path outside /v1 before sending anything', async () => {
    const received: string[] = [];
    const recorder = createServer((request, response) => {
      received.push(request.url ?? '');
      response.end('{}');
    });
    await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
    const { port } = recorder.address() as AddressInfo;
    try {
      for (const path of ['/v1/../x', '/v1/%2e%2e/x', 'http://127.0.0.1/x']) {
        const result = await runInShellAsync(`keyway get '${path}'`, {
          KEYWAY_API_KEY: `sk_test_${'0'.repeat(24)}`,
          KEYWAY_API_BASE: `http://127.0.0.1:${port}`,
        });
        expect(result.status, path).toBe(2);
        expect(result.stderr, path).toMatch(/leads outside the sandbox API|Give the path alone/);
      }
      expect(received).toEqual([]);
    } finally {
      await new Promise((resolve) => recorder.close(resolve));
    }
  });
});
