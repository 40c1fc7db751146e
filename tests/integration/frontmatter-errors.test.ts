import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const sites: string[] = [];

/** A copy of the site whose content is one page with the given frontmatter. */
function siteWithPage(frontmatter: string): string {
  const site = mkdtempSync(join(tmpdir(), 'keyway-frontmatter-'));
  sites.push(site);
  for (const name of ['astro.config.mjs', 'tsconfig.json', 'package.json', 'src']) {
    cpSync(join(root, name), join(site, name), { recursive: true });
  }
  symlinkSync(join(root, 'node_modules'), join(site, 'node_modules'));
  mkdirSync(join(site, 'content/docs/guides'), { recursive: true });
  writeFileSync(join(site, 'content/docs/guides/broken.mdx'), `---\n${frontmatter}\n---\n\nText.\n`);
  return site;
}

function sync(site: string) {
  const result = spawnSync(process.execPath, ['node_modules/astro/bin/astro.mjs', 'sync'], {
    cwd: site,
    encoding: 'utf8',
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
  });
  return { status: result.status, output: result.stdout + result.stderr };
}

afterAll(() => {
  for (const site of sites) rmSync(site, { recursive: true, force: true });
});

describe('a bad frontmatter value', () => {
  it('fails the build, naming the file and the field', () => {
    const { status, output } = sync(
      siteWithPage(
        'title: Broken\ndescription: A page that is wrong on purpose.\nsidebar:\n  group: Misc\n  order: 1',
      ),
    );
    expect(status).not.toBe(0);
    expect(output).toContain('content/docs/guides/broken.mdx');
    expect(output).toContain('sidebar.group must be one of: Get started, Guides, API reference');
  });

  it('names a missing field', () => {
    const { status, output } = sync(siteWithPage('title: Broken\nsidebar:\n  group: Guides\n  order: 1'));
    expect(status).not.toBe(0);
    expect(output).toContain('content/docs/guides/broken.mdx');
    expect(output).toContain('description is required');
  });
});
