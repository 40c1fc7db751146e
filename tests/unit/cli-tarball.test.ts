import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { tarGzip, type TarEntry } from '../../src/lib/cli-package/tarball.ts';

const scratchDirs: string[] = [];
afterEach(() => {
  for (const dir of scratchDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Writes the archive into a fresh folder and runs the system tar on it there. */
function systemTar(archive: Buffer, args: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'keyway-tar-'));
  scratchDirs.push(dir);
  const file = join(dir, 'archive.tgz');
  writeFileSync(file, archive);
  return { dir, result: spawnSync('tar', [...args, file, '-C', dir], { encoding: 'utf8' }) };
}

const entries: TarEntry[] = [
  { path: 'package/package.json', content: Buffer.from('{"name":"x"}\n'), mode: 0o644 },
  // Exactly one block, and one byte past it: the padding's two edge cases.
  { path: 'package/block.txt', content: Buffer.alloc(512, 'a'), mode: 0o644 },
  {
    path: 'package/keyway.mjs',
    content: Buffer.from('#!/usr/bin/env node\n' + 'é'.repeat(300)),
    mode: 0o755,
  },
  { path: 'package/empty', content: Buffer.alloc(0), mode: 0o644 },
];

describe('tarGzip', () => {
  it('writes an archive the system tar lists and extracts byte for byte, with modes', () => {
    const archive = tarGzip(entries);
    const listed = systemTar(archive, ['-tzf']).result;
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout.trim().split('\n')).toEqual(entries.map((entry) => entry.path));

    const { dir, result } = systemTar(archive, ['-xzf']);
    expect(result.status, result.stderr).toBe(0);
    for (const entry of entries) {
      expect(readFileSync(join(dir, entry.path)).equals(entry.content), entry.path).toBe(true);
      expect(statSync(join(dir, entry.path)).mode & 0o777, entry.path).toBe(entry.mode);
    }
  });

  it('makes the same bytes for the same files, and ends with two empty blocks', () => {
    const first = tarGzip(entries);
    expect(tarGzip(entries).equals(first)).toBe(true);
    const raw = gunzipSync(first);
    expect(raw.length % 512).toBe(0);
    expect(raw.subarray(raw.length - 1024).every((byte) => byte === 0)).toBe(true);
    const other = tarGzip([{ ...entries[0]!, content: Buffer.from('{"name":"y"}\n') }]);
    expect(other.equals(tarGzip([entries[0]!]))).toBe(false);
  });

  it('refuses a path that would leave the archive, is empty, or does not fit a header', () => {
    for (const path of ['/etc/passwd', 'package/../../x', '', `package/${'a'.repeat(100)}`]) {
      expect(() => tarGzip([{ path, content: Buffer.from('x'), mode: 0o644 }]), path).toThrow(RangeError);
    }
  });
});
