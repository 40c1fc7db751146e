import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { parseFrontmatter, rehypeHeadingIds, type MarkdownHeading } from '@astrojs/markdown-remark';
import { nodeTypes } from '@mdx-js/mdx';
import { slug } from 'github-slugger';
import type { Root } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkMdx from 'remark-mdx';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import remarkSmartypants from 'remark-smartypants';
import { unified } from 'unified';
import { VFile } from 'vfile';
import { expandOperations } from '../../src/lib/reference/operations-layout.ts';
import { docsHref } from '../../src/lib/docs/navigation.ts';

/** A docs page, parsed once and shared by every check. */
export interface Page {
  /** Path relative to the project root, for messages: `content/docs/keys.mdx`. */
  file: string;
  /** The page's URL path: `/docs/keys`. */
  href: string;
  frontmatter: Record<string, unknown>;
  /** The frontmatter as written, from the end of the opening `---`: its lines are the file's lines. */
  rawFrontmatter: string;
  /** The MDX syntax tree, positioned in the whole file (frontmatter included). */
  tree: Root;
  /** The ids Astro gives the page's headings, in order. */
  headingIds: string[];
}

/** Markdown and MDX as Astro's MDX integration reads them (GitHub Flavored Markdown on). */
const parser = unified().use(remarkParse).use(remarkMdx).use(remarkGfm);

/**
 * The steps of Astro's MDX pipeline that decide heading ids: `<Operations>` adds a heading
 * per operation (its mistakes are reported by the components check), SmartyPants changes
 * the text that ids are made from, and rehypeHeadingIds (Astro's own plugin,
 * github-slugger) makes them. Code fences and other components add no headings, so their
 * plugins are left out.
 */
const headingPipeline = unified()
  .use(() => (tree: Root) => expandOperations(tree))
  .use(remarkSmartypants)
  .use(remarkRehype, { passThrough: [...nodeTypes] })
  .use(rehypeHeadingIds);

/** Every page (`.mdx` file) under a docs folder, as paths relative to it, sorted. */
export async function docsFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new Error(`There is no docs folder at ${dir}.`);
    throw error;
  });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.mdx'))
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

/** The collection id Astro's glob loader gives a file: each segment slugged, `/index` dropped. */
export function entryId(pathInCollection: string): string {
  return pathInCollection
    .replace(/\.mdx$/, '')
    .split(sep)
    .map((segment) => slug(segment))
    .join('/')
    .replace(/(^|\/)index$/, '');
}

/** Reads and parses one page. A file MDX cannot parse throws, with the parser's line and column. */
export async function readPage(root: string, docsDir: string, pathInDocs: string): Promise<Page> {
  const path = join(docsDir, pathInDocs);
  const text = await readFile(path, 'utf8');
  // Spaces in place of the frontmatter keep every line and column where the file has them.
  const { frontmatter, rawFrontmatter, content } = parseFrontmatter(text, {
    frontmatter: 'empty-with-spaces',
  });
  const file = new VFile({ path, value: content });
  const tree = parser.parse(file);
  const headings = new VFile({ path, value: content });
  await headingPipeline.run(structuredClone(tree), headings);
  const collected = (headings.data as { astro?: { headings?: MarkdownHeading[] } }).astro?.headings ?? [];
  return {
    file: relative(root, path),
    href: docsHref(entryId(pathInDocs)),
    frontmatter,
    rawFrontmatter,
    tree,
    headingIds: collected.map((heading) => heading.slug),
  };
}
