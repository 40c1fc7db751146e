// `npm run check:content [docs folder]`: checks every page under content/docs (links,
// anchors, components and their props, the API calls samples describe) and prints
// `file:line:column: message` for each problem, exiting 1; or one line saying what it
// checked. The checks themselves are in scripts/content-check/, where the tests call them.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkContent, formatProblem } from './content-check/index.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const report = await checkContent({
  root,
  ...(process.argv[2] && { docsDir: resolve(process.argv[2]) }),
}).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
const looked =
  `${report.files} files, ${report.links} internal links, ${report.components} components ` +
  `(${report.apiCalls} API calls), ${report.fences} code fences`;

if (report.problems.length > 0) {
  for (const problem of report.problems) console.error(formatProblem(problem));
  const count = report.problems.length === 1 ? '1 problem' : `${report.problems.length} problems`;
  console.error(`\n${count} in the docs content (checked ${looked}).`);
  process.exit(1);
}
console.log(`Content OK: checked ${looked}.`);
