import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { LanguageId } from '../snippets/languages/index.ts';
import { compileTemplate, encodeTemplate, type EncodedTemplate } from '../page-template/standins.ts';

/** One docs page's Markdown, made at build time, as the sidebar lists it. */
export interface MarkdownPage {
  /** `/docs/…`: the page; its Markdown is at this path plus `.md`. */
  url: string;
  title: string;
  description: string;
  /** The sidebar group it sits in. */
  group: string;
  /** The page's Markdown per sample language, with stand-ins where each reader's values go. */
  markdown: Record<LanguageId, string>;
}

/** Every page, in sidebar order. */
export interface MarkdownBundle {
  pages: MarkdownPage[];
}

/** Where `astro build` writes the bundle: beside the server build, never served as a file. */
export const MARKDOWN_BUNDLE_FILE = fileURLToPath(
  new URL('../../../dist/markdown/pages.json', import.meta.url),
);

let bundle: MarkdownBundle | undefined;
const templates = new Map<string, EncodedTemplate>();

/** The bundle the last build wrote, read once per process. */
export function markdownBundle(): MarkdownBundle {
  bundle ??= JSON.parse(readFileSync(MARKDOWN_BUNDLE_FILE, 'utf8')) as MarkdownBundle;
  return bundle;
}

/** A page's Markdown as a template to fill, compiled once per page and language; null if no such page. */
export function markdownTemplate(path: string, language: LanguageId): EncodedTemplate | null {
  const key = `${language} ${path}`;
  let template = templates.get(key);
  if (!template) {
    const page = markdownBundle().pages.find((candidate) => candidate.url === path);
    if (!page) return null;
    template = encodeTemplate(compileTemplate(page.markdown[language]));
    templates.set(key, template);
  }
  return template;
}

/**
 * A docs page (`/docs/keys`) as Markdown for one reader: `fill` puts their values into the
 * template, as it does for HTML pages (`fillForReader` with the reader's personalization, or
 * any other fill of the same stand-ins). Null when there is no such page.
 */
export async function markdownForPage(
  path: string,
  language: LanguageId,
  fill: (template: EncodedTemplate) => Promise<Buffer> | Buffer,
): Promise<string | null> {
  const template = markdownTemplate(path, language);
  return template ? (await fill(template)).toString('utf8') : null;
}
