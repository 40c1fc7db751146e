import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { docsFrontmatter } from '../../lib/docs/frontmatter.ts';
import { buildSidebar, docsHref } from '../../lib/docs/navigation.ts';
import type { MarkdownBundle } from '../../lib/markdown/page-markdown.ts';
import { markdownProblems } from '../../lib/markdown/markdown-lint.ts';
import { renderPageMarkdown, type ExampleBodies } from '../../lib/markdown/render-page.ts';
import { LANGUAGE_IDS, type LanguageId } from '../../lib/snippets/languages/index.ts';

const FRONTMATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/;

/**
 * Every page under `docsDir` as Markdown in every sample language, in sidebar order. It reads
 * the MDX files themselves, as `npm run check:content` does, because it runs after Astro's
 * build, where the content collection is no longer at hand.
 */
export function buildMarkdownBundle(docsDir: string, examples: ExampleBodies): MarkdownBundle {
  const entries = readdirSync(docsDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.mdx'))
    .map((file) => {
      const text = readFileSync(join(docsDir, file), 'utf8');
      const match = FRONTMATTER.exec(text);
      if (!match) throw new Error(`Markdown: ${file} has no frontmatter.`);
      const id = relative(docsDir, join(docsDir, file))
        .replace(/\\/g, '/')
        .replace(/\.mdx$/, '');
      return { id, data: docsFrontmatter.parse(parse(match[1]!)), body: text.slice(match[0].length) };
    });
  const byUrl = new Map(entries.map((entry) => [docsHref(entry.id), entry]));
  const pages = buildSidebar(entries).flatMap((group) =>
    group.pages.map(({ href }) => {
      const entry = byUrl.get(href)!;
      const source = {
        url: href,
        title: entry.data.title,
        description: entry.data.description,
        body: entry.body,
      };
      const markdown = Object.fromEntries(
        LANGUAGE_IDS.map((language) => [
          language,
          checked(href, renderPageMarkdown(source, { language, examples })),
        ]),
      ) as Record<LanguageId, string>;
      return {
        url: href,
        title: entry.data.title,
        description: entry.data.description,
        group: group.label,
        markdown,
      };
    }),
  );
  return { pages };
}

/** A page's Markdown, or the build fails naming what would reach an assistant broken. */
function checked(url: string, markdown: string): string {
  const problems = markdownProblems(markdown);
  if (problems.length > 0) throw new Error(`Markdown of ${url}: ${problems.join('; ')}.`);
  return markdown;
}
