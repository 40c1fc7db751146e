import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCli, cliPackageManifest } from '../../src/build/cli-bundle/bundle-cli.ts';
import { cliTarball, type CliBuild } from '../../src/lib/cli-package/cli-package.ts';
import { apiBaseFromSiteFile, CLI_SITE_FILE } from '../../src/isomorphic/command-line/cli-site.ts';
import { apiOrigin } from '../../src/lib/http/api-origin.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
let scratch: string;
let built: CliBuild;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'keyway-cli-package-'));
  built = {
    script: Buffer.from(await bundleCli(join(root, 'src/cli/keyway.ts'))),
    manifest: Buffer.from(cliPackageManifest('1.2.3')),
  };
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Unpacks a tarball into a fresh folder with the system tar; returns the package folder. */
function unpack(body: Buffer): string {
  const dir = mkdtempSync(join(scratch, 'unpacked-'));
  writeFileSync(join(dir, 'keyway.tgz'), body);
  const result = spawnSync('tar', ['-xzf', 'keyway.tgz'], { cwd: dir, encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  return join(dir, 'package');
}

describe('the bundled CLI', () => {
  it('is one plain script that runs under node with no flags and no node_modules', () => {
    const text = built.script.toString('utf8');
    expect(text.split('\n')[0]).toBe('#!/usr/bin/env node');
    expect(text).not.toMatch(/^import .* from ["'](?!node:)/m);
    const dir = unpack(cliTarball(built, new URL('http://127.0.0.1:1')).body);
    const help = spawnSync(process.execPath, [join(dir, 'keyway.mjs'), 'help'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toContain('customers create');
  });

  it('has a manifest with one command, the Node it needs, and no dependencies', () => {
    const manifest = JSON.parse(built.manifest.toString('utf8')) as Record<string, unknown>;
    expect(manifest).toMatchObject({ name: 'keyway-cli', version: '1.2.3', bin: { keyway: 'keyway.mjs' } });
    expect(manifest.engines).toEqual({ node: '>=20' });
    expect(manifest).not.toHaveProperty('dependencies');
  });
});

describe('cliTarball', () => {
  it('names the origin it was made for, in a data file, and nothing else differs', () => {
    const a = unpack(cliTarball(built, new URL('https://docs.example.com')).body);
    const b = unpack(cliTarball(built, new URL('http://127.0.0.1:4321')).body);
    expect(JSON.parse(readFileSync(join(a, CLI_SITE_FILE), 'utf8'))).toEqual({
      apiBase: 'https://docs.example.com',
    });
    expect(JSON.parse(readFileSync(join(b, CLI_SITE_FILE), 'utf8'))).toEqual({
      apiBase: 'http://127.0.0.1:4321',
    });
    expect(readFileSync(join(a, 'keyway.mjs')).equals(built.script)).toBe(true);
    expect(readFileSync(join(b, 'keyway.mjs')).equals(built.script)).toBe(true);
    expect(statSync(join(a, 'keyway.mjs')).mode & 0o111).not.toBe(0);
  });

  it('gives a hostile Host header no way into the package: it falls back to the default origin', () => {
    for (const host of [
      'evil.example"};process.exit(1);//',
      'a.example/../x',
      'x@evil.example',
      'a b',
      '\n',
    ]) {
      const origin = apiOrigin(null, host, false);
      const dir = unpack(cliTarball(built, origin).body);
      expect(JSON.parse(readFileSync(join(dir, CLI_SITE_FILE), 'utf8')), host).toEqual({
        apiBase: 'http://localhost:4321',
      });
    }
  });

  it('gives a different ETag per origin and the same one for the same origin', () => {
    const one = cliTarball(built, new URL('https://a.example'));
    expect(cliTarball(built, new URL('https://a.example')).etag).toBe(one.etag);
    expect(cliTarball(built, new URL('https://b.example')).etag).not.toBe(one.etag);
    expect(one.etag).toMatch(/^"[\w-]{27}"$/);
  });
});

describe('apiBaseFromSiteFile', () => {
  it('takes an http(s) origin', () => {
    expect(apiBaseFromSiteFile('{"apiBase":"https://docs.example.com"}')).toBe('https://docs.example.com');
    expect(apiBaseFromSiteFile('{"apiBase":"http://[::1]:4321"}')).toBe('http://[::1]:4321');
  });

  it('ignores anything else, so the CLI falls back to its default', () => {
    for (const text of [
      '',
      'not json',
      'null',
      '"https://a.example"',
      '{}',
      '{"apiBase":42}',
      '{"apiBase":"ftp://a.example"}',
      '{"apiBase":"javascript:alert(1)"}',
      '{"apiBase":"https://user:pw@a.example"}',
      '{"apiBase":"https://a.example/v1"}',
      '{"apiBase":"https://a.example/"}',
    ]) {
      expect(apiBaseFromSiteFile(text), text).toBeNull();
    }
  });
});
