import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { CookieJar, get, rawRequest, signUpReader, SECRET_KEY_PATTERN } from '../support/http.ts';

const baseUrl = inject('baseUrl');
const scratch = mkdtempSync(join(tmpdir(), 'keyway-cli-install-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The site file inside a tarball, unpacked with the system tar. */
function siteFileOf(body: Buffer): unknown {
  const dir = mkdtempSync(join(scratch, 'unpacked-'));
  writeFileSync(join(dir, 'keyway.tgz'), body);
  const result = spawnSync('tar', ['-xzf', 'keyway.tgz'], { cwd: dir, encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(readFileSync(join(dir, 'package/keyway-site.json'), 'utf8'));
}

/** A reader's secret key, from their dashboard. */
async function readerKey(): Promise<string> {
  const jar = new CookieJar();
  await signUpReader(jar);
  return (await (await get('/dashboard/apikeys', jar)).text()).match(SECRET_KEY_PATTERN)![0];
}

describe('the install line in the docs', () => {
  it("names this site's own tarball, in the CLI tab of the first request's guide and in its Markdown", async () => {
    const line = `npm install -g ${baseUrl}/cli/keyway.tgz`;
    const page = await (await get('/docs/first-request?lang=cli')).text();
    expect(page.replace(/<[^>]+>/g, '')).toContain(line);
    const markdown = await (await get('/docs/first-request.md?lang=cli')).text();
    expect(markdown).toContain(line);
    // The package that line installs is there.
    expect((await get('/cli/keyway.tgz', undefined, { method: 'HEAD' })).status).toBe(200);
  });
});

describe('GET /cli/keyway.tgz', () => {
  it('serves a gzip tarball that names this site, cacheable and revalidated by ETag', async () => {
    const response = await rawRequest('/cli/keyway.tgz', { headers: { 'accept-encoding': 'gzip, br' } });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/gzip');
    // Already gzip: compressing it again would only cost time.
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.headers['cache-control']).toBe('public, max-age=300');
    expect(Number(response.headers['content-length'])).toBe(response.body.length);
    expect(siteFileOf(response.body)).toEqual({ apiBase: baseUrl });

    const etag = response.headers.etag!;
    const again = await rawRequest('/cli/keyway.tgz', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);

    const head = await rawRequest('/cli/keyway.tgz', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.etag).toBe(etag);
  });

  it('follows a plain Host header, and ignores a hostile one', async () => {
    const other = await rawRequest('/cli/keyway.tgz', { headers: { host: 'docs.example.com:8443' } });
    expect(siteFileOf(other.body)).toEqual({ apiBase: 'http://docs.example.com:8443' });
    for (const host of ['evil.example"};process.exit(1);//', 'evil.example/x', 'user@evil.example']) {
      const hostile = await rawRequest('/cli/keyway.tgz', { headers: { host } });
      expect(hostile.status, host).toBe(200);
      expect(siteFileOf(hostile.body), host).toEqual({ apiBase: 'http://localhost:4321' });
    }
  });

  it('installs with npm into an empty folder, and the installed keyway calls this site unasked', async () => {
    const key = await readerKey();
    const prefix = join(scratch, 'install');
    // A reader's shell: none of Keyway's variables set.
    const env: NodeJS.ProcessEnv = { ...process.env, npm_config_update_notifier: 'false' };
    delete env.KEYWAY_API_BASE;
    delete env.KEYWAY_API_KEY;
    const install = spawnSync(
      'npm',
      [
        'install',
        '--prefix',
        prefix,
        '--cache',
        join(scratch, 'npm-cache'),
        '--no-audit',
        '--no-fund',
        `${baseUrl}/cli/keyway.tgz`,
      ],
      { encoding: 'utf8', env },
    );
    expect(install.status, install.stderr).toBe(0);

    const email = `installed.${process.pid}.${Date.now()}@example.com`;
    const keyway = join(prefix, 'node_modules/.bin/keyway');
    const created = spawnSync(keyway, ['customers', 'create', `--email=${email}`, '--api-key', key], {
      encoding: 'utf8',
      env,
      cwd: scratch,
    });
    expect(created.status, created.stderr).toBe(0);
    expect(created.stderr).toMatch(/POST \/v1\/customers 200 \(req_[0-9A-Za-z]{14}\)/);
    const customer = JSON.parse(created.stdout) as { id: string };

    // It reached this server, not some other on the default port: the customer is here.
    const fetched = await fetch(`${baseUrl}/v1/customers/${customer.id}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(fetched.status).toBe(200);
    expect(((await fetched.json()) as { email: string }).email).toBe(email);
  });
});
