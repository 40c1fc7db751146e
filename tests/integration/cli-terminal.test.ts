import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { CookieJar, get, signUpReader, SECRET_KEY_PATTERN } from '../support/http.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const baseUrl = inject('baseUrl');

/** Runs a shell script in which `keyway` is the project's CLI, as `npx keyway` would be. */
function runInShell(script: string, env: Record<string, string> = {}) {
  const keyway = `keyway() { "${process.execPath}" --experimental-strip-types --disable-warning=ExperimentalWarning "${root}src/cli/keyway.ts" "$@"; }`;
  return spawnSync('bash', ['-c', `${keyway}\n${script}`], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env },
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
});
