/**
 * What clean Markdown for assistants means here, checked on every page when the site is
 * built and again by the tests on what the server sends:
 * - every code fence (a line of three or more backticks or tildes, after any indentation)
 *   names a language and is closed by a fence of the same character, at least as long;
 * - outside code (fences, and code spans within a paragraph) there is no HTML or JSX tag: no `<Name`,
 *   `</Name` or `<name` followed by a space, `/` or `>`, and no `<!--` comment.
 */
export function markdownProblems(markdown: string): string[] {
  const problems: string[] = [];
  const prose: string[] = [];
  let open: { marker: string; line: number } | null = null;
  markdown.split('\n').forEach((line, index) => {
    const fence = /^\s*(`{3,}|~{3,})(.*)$/.exec(line);
    if (open) {
      if (
        fence &&
        fence[1]![0] === open.marker[0] &&
        fence[1]!.length >= open.marker.length &&
        !fence[2]!.trim()
      ) {
        open = null;
      }
      return;
    }
    if (fence) {
      open = { marker: fence[1]!, line: index + 1 };
      if (!fence[2]!.trim()) problems.push(`line ${index + 1}: a code fence without a language`);
      return;
    }
    prose.push(line);
  });
  if (open) problems.push(`line ${(open as { line: number }).line}: a code fence that is never closed`);
  // Code spans end within their paragraph, and an escaped backtick opens none.
  const text = prose
    .join('\n')
    .replace(/\\`/g, '')
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.replace(/(`+)[\s\S]*?\1/g, ''))
    .join('\n\n');
  for (const match of text.matchAll(/<!--|<\/?[A-Za-z][\w.:-]*(?=[\s/>])/g)) {
    problems.push(`a tag in the text: ${match[0]}`);
  }
  return problems;
}
