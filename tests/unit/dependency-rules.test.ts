import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { dependencyViolations } from '../support/dependency-rules.ts';

// The rules run as this unit test, not as a separate step of tests/run.mjs, so that a broken
// rule counts in the run's `N passed, N failed` line and vitest's diff lists every violation.
const root = fileURLToPath(new URL('../..', import.meta.url));
const made: string[] = [];

afterAll(async () => {
  await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Writes a small source tree (path → contents) to a temp dir and cruises its `src`. */
async function cruiseTree(files: Record<string, string>): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'keyway-dep-rules-'));
  made.push(dir);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dependencyViolations(dir, ['src']);
}

/** A tree that keeps every rule: each folder imports only what its rule allows. */
const CLEAN: Record<string, string> = {
  'src/spec/operations.ts': `import { z } from 'zod';\nexport const Id = z.string();\n`,
  'src/isomorphic/time.ts': `import { Id } from '../spec/operations.ts';\nexport const id = Id;\n`,
  'src/client/clock.ts':
    `import type { Config } from '../lib/config.ts';\nimport { id } from '../isomorphic/time.ts';\n` +
    `export const show = (config: Config) => [id, config];\n`,
  'src/lib/config.ts': `import { readFileSync } from 'node:fs';\nimport { z } from 'zod';\nexport type Config = { z: typeof z };\nexport const read = readFileSync;\n`,
  'src/lib/db/connection.ts': `import { read } from '../config.ts';\nexport const open = read;\n`,
  'src/sandbox/serve.ts': `import { open } from '../lib/db/connection.ts';\nimport { id } from '../isomorphic/time.ts';\nexport const serve = [open, id];\n`,
  'src/server/main.ts': `import { serve } from '../sandbox/serve.ts';\nimport { z } from 'astro/zod';\nexport const main = [serve, z];\n`,
  'src/middleware.ts': `import { defineMiddleware } from 'astro:middleware';\nimport { open } from './lib/db/connection.ts';\nexport const onRequest = [defineMiddleware, open];\n`,
};

describe('the dependency rules', () => {
  it('find nothing in a tree where every folder imports only what it may', async () => {
    expect(await cruiseTree(CLEAN)).toEqual([]);
  });

  // Each row changes the clean tree to break one rule once, and expects exactly that report.
  it.each<[string, Record<string, string>, string[]]>([
    [
      'sandbox-no-astro: names the whole chain from the sandbox to Astro',
      {
        'src/lib/config.ts': `import { z } from 'astro/zod';\nexport type Config = { z: typeof z };\nexport const read = z;\n`,
      },
      ['sandbox-no-astro: src/sandbox/serve.ts → src/lib/db/connection.ts → src/lib/config.ts → astro/zod'],
    ],
    [
      'sandbox-no-astro: holds for the MCP server, which calls the sandbox in process',
      {
        'src/mcp/serve.ts': `import { serve } from '../sandbox/serve.ts';\nimport { z } from 'astro/zod';\nexport const mcp = [serve, z];\n`,
      },
      ['sandbox-no-astro: src/mcp/serve.ts → astro/zod'],
    ],
    [
      'sandbox-no-astro: an .astro component counts as Astro',
      {
        'src/components/Badge.astro': `---\n---\n<span />\n`,
        'src/sandbox/serve.ts': `import Badge from '../components/Badge.astro';\nexport const serve = Badge;\n`,
      },
      ['sandbox-no-astro: src/sandbox/serve.ts → src/components/Badge.astro'],
    ],
    [
      'lib-not-upward: src/lib imports a component',
      {
        'src/components/registry.ts': `export const components = [];\n`,
        'src/lib/docs/check.ts': `import { components } from '../../components/registry.ts';\nexport const check = components;\n`,
      },
      ['lib-not-upward: src/lib/docs/check.ts → src/components/registry.ts'],
    ],
    [
      'browser-no-node: browser code imports a Node core module',
      {
        'src/client/clock.ts': `import { createHash } from 'node:crypto';\nexport const show = createHash;\n`,
      },
      ['browser-no-node: src/client/clock.ts → node:crypto'],
    ],
    [
      'browser-no-server-code: shared code imports src/lib at run time',
      { 'src/isomorphic/time.ts': `import { read } from '../lib/config.ts';\nexport const id = read;\n` },
      ['browser-no-server-code: src/isomorphic/time.ts → src/lib/config.ts'],
    ],
    [
      'isomorphic-no-astro: shared code imports Astro',
      { 'src/isomorphic/tone.ts': `import { z } from 'astro/zod';\nexport const tone = z;\n` },
      ['isomorphic-no-astro: src/isomorphic/tone.ts → astro/zod'],
    ],
    [
      'spec-is-leaf: the API declaration imports from the rest of src',
      {
        'src/components/format.ts': `export const prefix = 'cus_';\n`,
        'src/spec/operations.ts': `import { prefix } from '../components/format.ts';\nexport const Id = prefix;\n`,
      },
      ['spec-is-leaf: src/spec/operations.ts → src/components/format.ts'],
    ],
    [
      'no-folder-cycles: two folders import each other, even through type-only imports',
      {
        'src/lib/auth/session.ts': `import type { Key } from '../keys/key.ts';\nexport type Session = { key: Key };\n`,
        'src/lib/keys/key.ts': `import type { Session } from '../auth/session.ts';\nexport type Key = { session: Session };\n`,
      },
      [
        'no-folder-cycles: src/lib/auth → src/lib/keys → src/lib/auth',
        'no-folder-cycles: src/lib/keys → src/lib/auth → src/lib/keys',
      ],
    ],
    [
      "no-folder-cycles: a folder's own files and one of its subfolders import each other",
      {
        'src/lib/db/url.ts': `export const parse = (url: string) => url;\n`,
        'src/lib/config.ts': `import { parse } from './db/url.ts';\nexport const read = parse;\n`,
      },
      [
        'no-folder-cycles: src/lib/config.ts → src/lib/db/url.ts, src/lib/db/connection.ts → src/lib/config.ts',
      ],
    ],
    [
      'no-circular: two modules load each other at run time',
      {
        'src/server/a.ts': `import { b } from './b.ts';\nexport const a = () => b;\n`,
        'src/server/b.ts': `import { a } from './a.ts';\nexport const b = () => a;\n`,
      },
      ['no-circular: src/server/a.ts → src/server/b.ts → src/server/a.ts'],
    ],
  ])('%s', async (_rule, changed, expected) => {
    expect(await cruiseTree({ ...CLEAN, ...changed })).toEqual(expected);
  });

  // A ceiling for a stuck run on a busy machine, not a speed check: the whole tree is parsed.
  it('hold in the real tree (src and scripts)', { timeout: 180_000 }, async () => {
    expect(await dependencyViolations(root, ['src', 'scripts'])).toEqual([]);
  });
});
