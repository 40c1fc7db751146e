import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Every text file under content/ and src/: what readers can meet in a page, sample or hint. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|astro|mdx|md|css|json)$/.test(name) ? [path] : [];
  });
}

/** Lines of content/ and src/ that match `pattern`, as `file:line: text`. */
function linesMatching(pattern: RegExp): string[] {
  return ['content', 'src'].flatMap((top) =>
    sourceFiles(join(root, top)).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, index) =>
          pattern.test(line) ? [`${relative(root, file)}:${index + 1}: ${line.trim()}`] : [],
        ),
    ),
  );
}

describe('one vocabulary', () => {
  it('has one example person, Jenny Rosen (jenny.rosen@example.com), in every sample, help text and placeholder', () => {
    // The people samples, help texts and placeholders used before they were made one.
    const others =
      /\b(jane|john|alice|bob)(\.[a-z]+)?@example\b|\bjenny@example\b|\b(Jane|John) (Doe|Smith|R\.)/i;
    expect(linesMatching(others)).toEqual([]);
  });

  it('names the key a request is sent with in the same words in the try-it and the shell', () => {
    // The shell once said "your test key" to guests too; both now take KEY_WORDS.
    const wording = /(your test key|a sample key)/;
    const usesLiteral = linesMatching(wording).filter(
      (line) => !line.startsWith('src/isomorphic/key-words.ts'),
    );
    const inShellOrTryIt = usesLiteral.filter((line) => /^src\/(client|components\/site)\//.test(line));
    expect(inShellOrTryIt).toEqual([]);
  });
});
