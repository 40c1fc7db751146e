import {
  createHighlighter,
  createJavaScriptRegexEngine,
  type BundledLanguage,
  type Highlighter,
} from 'shiki';
import { countStandins, STANDINS, tokensToStandins } from '../page-template/standins.ts';

/** The themes samples use; CSS picks one through `--shiki-light` / `--shiki-dark`. */
export const CODE_THEMES = { light: 'github-light', dark: 'github-dark' } as const;

/**
 * Token colours of those themes that fall short of WCAG AA contrast (4.5:1) on our code
 * background (--kw-code-bg), swapped for the nearest shade of GitHub's newer
 * palette that passes: keywords, strings' green, parameters' orange; comments in dark.
 */
export const CODE_COLOR_FIXES = {
  'github-light': { '#d73a49': '#cf222e', '#22863a': '#1a7f37', '#e36209': '#bc4c00' },
  'github-dark': { '#6a737d': '#8b949e' },
} as const;

/**
 * How everything here is highlighted: both themes, with the contrast fixes above. Shiki
 * stops tokenizing a line after 500 ms by default and leaves the rest in one colour; a
 * grammar's first use compiles its patterns, which on a busy machine can take that long,
 * and what is highlighted here is cached for the life of the process: no limit, then.
 */
const HIGHLIGHT_OPTIONS = {
  themes: CODE_THEMES,
  defaultColor: false,
  colorReplacements: CODE_COLOR_FIXES,
  tokenizeTimeLimit: 0,
} as const;

/** Grammars loaded up front; a code fence in another language is highlighted as plain text. */
export const GRAMMARS = [
  'bash',
  'javascript',
  'typescript',
  'python',
  'ruby',
  'php',
  'go',
  'java',
  'csharp',
  'json',
  'http',
] as const;

let highlighter: Promise<Highlighter> | undefined;
const cache = new Map<string, Promise<string>>();

/** Thrown when highlighting split a stand-in, which would leave a reader's key unreplaced. */
export class StandinSplitError extends Error {}

/**
 * Highlights code written with author tokens (`{{SECRET_KEY}}`, …) into HTML that holds
 * stand-ins instead, with each key wrapped in a focusable `.kw-key` span whose title (a slot
 * filled per reader) says whose key it is. Each distinct code is highlighted once per process.
 */
export function highlightSample(code: string, grammar: string): Promise<string> {
  const cacheKey = `${grammar}\u0000${code}`;
  let html = cache.get(cacheKey);
  if (!html) {
    html = render(code, grammar);
    cache.set(cacheKey, html);
  }
  return html;
}

/**
 * Shiki's JavaScript regex engine rather than its default (Oniguruma compiled to
 * WebAssembly): the WebAssembly engine's memory only grows. Highlighting every distinct code
 * block of the docs (219, in the ten grammars above that they use) left 65 MB of memory outside
 * the JavaScript heap with it and 2 MB with this one (RSS 209 against 187 MB), and gave the
 * same HTML for every block.
 */
function loadHighlighter(): Promise<Highlighter> {
  highlighter ??= createHighlighter({
    themes: Object.values(CODE_THEMES),
    langs: [...GRAMMARS],
    engine: createJavaScriptRegexEngine(),
  });
  return highlighter;
}

/**
 * Highlights a reader's own data (a logged request, a customer) as JSON. Not cached: such
 * data is different every time, and a cache of it would only grow.
 */
export async function highlightJson(value: unknown): Promise<string> {
  const shiki = await loadHighlighter();
  return shiki.codeToHtml(JSON.stringify(value, null, 2) ?? 'null', { lang: 'json', ...HIGHLIGHT_OPTIONS });
}

/**
 * Highlights source to be shown exactly as written, author tokens included (the MDX on
 * /docs/writing): nothing becomes a stand-in, so no reader's key appears in it. Grammars
 * outside {@link GRAMMARS} (`mdx`) load on first use. Cached like samples.
 */
export function highlightSource(code: string, grammar: BundledLanguage): Promise<string> {
  const cacheKey = `source\u0000${grammar}\u0000${code}`;
  let html = cache.get(cacheKey);
  if (!html) {
    html = loadHighlighter().then(async (shiki) => {
      await shiki.loadLanguage(grammar);
      return shiki.codeToHtml(code, { lang: grammar, ...HIGHLIGHT_OPTIONS });
    });
    cache.set(cacheKey, html);
  }
  return html;
}

/** Like highlightSample, without the cache: for code a reader edited, seen once. */
export function highlightFresh(code: string, grammar: string): Promise<string> {
  return render(code, grammar);
}

async function render(code: string, grammar: string): Promise<string> {
  const shiki = await loadHighlighter();
  const source = tokensToStandins(code);
  const lang = (GRAMMARS as readonly string[]).includes(grammar) ? grammar : 'text';
  const html = shiki.codeToHtml(source, { lang, ...HIGHLIGHT_OPTIONS });
  const expected = countStandins(source);
  for (const [standin, count] of countStandins(html)) {
    if (count !== expected.get(standin)) {
      throw new StandinSplitError(
        `Highlighting ${grammar} split the stand-in ${standin}; keys would not be substituted.`,
      );
    }
  }
  return wrapKeys(html);
}

const KEY_STANDINS = new RegExp(`${STANDINS.secretKey}|${STANDINS.publishableKey}`, 'g');
const ID_STANDINS = new RegExp(`${STANDINS.customerId}|${STANDINS.eventId}`, 'g');

/** Marks keys (explained on hover) and object ids (which the page updates after a Run). */
function wrapKeys(html: string): string {
  const withIds = html.replace(ID_STANDINS, (id) => {
    const kind = id === STANDINS.customerId ? 'customer' : 'event';
    return `<span class="kw-objid" data-kind="${kind}" title="Your most recent ${kind}. None yet? Create one first.">${id}</span>`;
  });
  return withIds.replace(
    KEY_STANDINS,
    (key) =>
      `<span class="kw-key" tabindex="0" title="${STANDINS.keyNote}" aria-describedby="kw-key-note">${key}</span>`,
  );
}
