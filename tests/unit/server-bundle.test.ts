import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleServer } from '../../src/build/server-bundle/bundle-server.ts';

const scratch = mkdtempSync(join(tmpdir(), 'keyway-server-bundle-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the server bundle', () => {
  it("keeps each module's import.meta.url its own source file's, so paths relative to it still resolve", async () => {
    mkdirSync(join(scratch, 'src/lib/deep'), { recursive: true });
    writeFileSync(
      join(scratch, 'src/lib/deep/where.ts'),
      "export const data: string = new URL('../../../dist/data.json', import.meta.url).href;\n",
    );
    writeFileSync(
      join(scratch, 'src/main.ts'),
      "import { data } from './lib/deep/where.ts';\nexport const found = { data, main: import.meta.url };\n",
    );
    const outFile = join(scratch, 'dist/node-server/main.mjs');
    await bundleServer(join(scratch, 'src/main.ts'), outFile);
    const { found } = (await import(pathToFileURL(outFile).href)) as {
      found: { data: string; main: string };
    };
    expect(found.data).toBe(pathToFileURL(join(scratch, 'dist/data.json')).href);
    expect(found.main).toBe(pathToFileURL(join(scratch, 'src/main.ts')).href);
  });
});
