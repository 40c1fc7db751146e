import { join, relative } from 'node:path';
import { docsFrontmatter } from '../../src/lib/docs/frontmatter.ts';
import { checkComponents } from './components.ts';
import { checkLinks } from './links.ts';
import { docsFiles, readPage, type Page } from './pages.ts';
import { FileProblems, type Place, type Problem } from './problems.ts';
import { readSitePaths } from './site-paths.ts';

export { formatProblem, type Problem } from './problems.ts';

/** Where the check looks; every directory defaults to its place in the project. */
export interface CheckOptions {
  /** The project root; problems name files relative to it. */
  root: string;
  /** The docs collection: every `.mdx` under it is a page. Default `<root>/content/docs`. */
  docsDir?: string;
  /** Routes a link may lead to besides docs pages. Default `<root>/src/pages`. */
  pagesDir?: string;
  /** Static files a link may lead to. Default `<root>/public`. */
  publicDir?: string;
}

/** What the check found, and how much it looked at. */
export interface ContentReport {
  problems: Problem[];
  files: number;
  links: number;
  components: number;
  apiCalls: number;
  fences: number;
}

/**
 * Checks every page in the docs: frontmatter, internal links and anchors, components and
 * their props, the API calls that `<Request>` and `<TryIt>` describe, and code fence options.
 * A file MDX cannot parse is one problem, at the parser's line and column.
 */
export async function checkContent(options: CheckOptions): Promise<ContentReport> {
  const { root } = options;
  const docsDir = options.docsDir ?? join(root, 'content/docs');
  const site = await readSitePaths(
    options.pagesDir ?? join(root, 'src/pages'),
    options.publicDir ?? join(root, 'public'),
  );
  const report: ContentReport = { problems: [], files: 0, links: 0, components: 0, apiCalls: 0, fences: 0 };

  const pages: Page[] = [];
  for (const path of await docsFiles(docsDir)) {
    report.files++;
    try {
      pages.push(await readPage(root, docsDir, path));
    } catch (error) {
      report.problems.push(parseProblem(relative(root, join(docsDir, path)), error));
    }
  }
  const pagesByHref = new Map(pages.map((page) => [page.href, page]));
  for (const page of pages) {
    const problems = new FileProblems(page.file);
    checkFrontmatter(page, problems);
    report.links += checkLinks(page, pagesByHref, site, problems);
    const counts = checkComponents(page, problems);
    report.components += counts.components;
    report.apiCalls += counts.apiCalls;
    report.fences += counts.fences;
    report.problems.push(...problems.list);
  }
  report.problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  return report;
}

/** The frontmatter as the build checks it (src/lib/docs/frontmatter.ts). */
function checkFrontmatter(page: Page, problems: FileProblems): void {
  const parsed = docsFrontmatter.safeParse(page.frontmatter);
  if (parsed.success) return;
  for (const issue of parsed.error.issues) {
    const field = issue.path.join('.');
    // The schema's own messages name the field; zod's generic ones do not.
    const message = field && !issue.message.startsWith(field) ? `${field}: ${issue.message}` : issue.message;
    problems.add(fieldPlace(page.rawFrontmatter, issue.path.map(String)), `Frontmatter: ${message}`);
  }
}

/** The line where a frontmatter field is written, or the opening `---` when it is missing. */
function fieldPlace(yaml: string, path: string[]): Place {
  const lines = yaml.split('\n');
  let from = 0;
  for (const key of path) {
    const index = lines.findIndex((line, at) => at >= from && new RegExp(`^\\s*${key}\\s*:`).test(line));
    if (index < 0) return { line: 1, column: 1 };
    from = index;
  }
  const line = lines[from]!;
  return { line: from + 1, column: line.length - line.trimStart().length + 1 };
}

/** A parse failure as a problem. MDX and YAML errors say where, as fields or in the text. */
function parseProblem(file: string, error: unknown): Problem {
  const failure = error as {
    reason?: string;
    message?: string;
    line?: number;
    column?: number;
    mark?: { line: number; column: number };
  };
  const reason = failure.reason ?? failure.message ?? String(error);
  const written = /\((\d+):(\d+)-\d+:\d+\)$/.exec(reason);
  const line = failure.line ?? (failure.mark ? failure.mark.line + 1 : Number(written?.[1] ?? 1));
  const column = failure.column ?? (failure.mark ? failure.mark.column + 1 : Number(written?.[2] ?? 1));
  return { file, line, column, message: `Cannot parse this page: ${reason}` };
}
