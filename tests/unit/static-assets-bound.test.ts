import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaticAssets } from '../../src/server/compression/static-assets.ts';

const root = mkdtempSync(join(tmpdir(), 'keyway-static-'));
const BOUND = 64 * 1024;
const assets = new StaticAssets(root, BOUND);
let base: string;
let server: http.Server;

/** Text that compresses poorly, so each coding's copy is about as large as the file. */
function noise(bytes: number, seed: number): string {
  let text = '';
  let x = seed + 1;
  while (text.length < bytes) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    text += x.toString(36);
  }
  return text.slice(0, bytes);
}

beforeAll(async () => {
  for (let i = 0; i < 200; i++) writeFileSync(join(root, `file-${i}.txt`), noise(2000, i));
  writeFileSync(join(root, 'huge.txt'), noise(BOUND * 2, 999));
  server = http.createServer((req, res) => {
    assets.serve(req, res, new URL(req.url!, 'http://x').pathname).then((served) => {
      if (!served) res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
  rmSync(root, { recursive: true, force: true });
});

describe('static files kept in memory', () => {
  it('stay within STATIC_CACHE_BYTES however many distinct files are asked for', async () => {
    for (let i = 0; i < 200; i++) {
      const response = await fetch(`${base}/file-${i}.txt`);
      expect(await response.text()).toBe(noise(2000, i));
      expect(assets.bytes).toBeLessThanOrEqual(BOUND);
    }
    expect(assets.bytes).toBeGreaterThan(BOUND / 2);
  });

  it('serve a file larger than the bound whole, without keeping it or dropping the rest', async () => {
    const before = assets.bytes;
    const response = await fetch(`${base}/huge.txt`, { headers: { 'accept-encoding': 'identity' } });
    expect(await response.text()).toBe(noise(BOUND * 2, 999));
    expect(assets.bytes).toBe(before);
  });
});
