/**
 * Which scripts a page runs before the reader does anything, and which it can load later: the
 * page-weight test's budgets and `npm run bench:pages` count JavaScript at load the same way,
 * from the built files as the server sends them.
 */

/** Import specifiers in built JavaScript: `import x from "…"`, `import "…"`, `export … from "…"`. */
const STATIC_IMPORT = /(?:\bimport|\bfrom)\s*["'`]([^"'`]+)["'`]/g;
/** `import("…")`, which loads a chunk when the code runs. */
const DYNAMIC_IMPORT = /\bimport\s*\(\s*["'`]([^"'`]+)["'`]\s*\)/g;
/** Vite's list of the files a dynamic import preloads with it, as paths from the site root. */
const PRELOAD_LIST = /__vite__mapDeps\b[^[]*\[([^\]]*)\]/g;

/**
 * What a page's scripts import with `import()` as it loads, without waiting for the reader: these
 * count as JavaScript at load. site.ts loads these chunks at once on a page with their hook.
 */
export const LOADED_WITH_HOOK: Record<string, string> = {
  live: 'data-kw-live-status',
  'webhook-status': 'data-kw-webhook-status',
};
/**
 * Chunks imported only when the reader does something: the shell and the search dialog when
 * opened, a try-it's code on the first pointer, key or focus in the widget, the code behind
 * copy buttons, key tips and the sidebar drawer on the first interaction with the page, an inline
 * shell's terminal and the reference's "your latest requests" as they come within a screen of
 * the viewport (none is in a page's first screen: they sit with the operations, below the
 * object's fields), the
 * walkthrough's log card and failure advice when the reader's first request arrives, the
 * webhook guide's advice with the first delivery. Any other
 * `import()` in a script that runs at load is counted as loaded at once, so a new one cannot
 * slip past the budget unnoticed.
 */
export const LOADED_ON_USE = new Set<string>([
  'shell-panel',
  'shell-terminal',
  'dialog',
  'try-it',
  'interactions',
  'live-details',
  'your-requests',
  'webhook-advice',
]);

/** A chunk's name as Vite writes it: `/_astro/try-it.QzS2JXNa.js` is `try-it`. */
function chunkName(path: string): string {
  return path
    .split('/')
    .pop()!
    .replace(/\.[\w-]+\.m?js$/, '');
}

/** Whether a page's script, as it loads, imports the chunk at `path` (see {@link LOADED_ON_USE}). */
function importedAtLoad(path: string, html: string): boolean {
  const name = chunkName(path);
  if (LOADED_ON_USE.has(name)) return false;
  const hook = LOADED_WITH_HOOK[name];
  return hook === undefined || new RegExp(`\\s${hook}[\\s=>]`).test(html);
}

export function matches(text: string, pattern: RegExp): string[] {
  return [...text.matchAll(pattern)].map((match) => match[1]!);
}

/** What a script imports, as site paths: statically, and when it runs (dynamic, preloads). */
function importsOf(code: string, from: string): { now: string[]; later: string[]; preloads: string[] } {
  const resolve = (specifier: string, base: string) => new URL(specifier, `http://site${base}`).pathname;
  const later = matches(code, DYNAMIC_IMPORT).map((specifier) => resolve(specifier, from));
  const preloads: string[] = [];
  for (const list of matches(code, PRELOAD_LIST)) {
    for (const file of matches(list, /["'`]([^"'`]+)["'`]/g)) preloads.push(resolve(file, '/'));
  }
  const now = matches(code, STATIC_IMPORT)
    .filter((specifier) => specifier.startsWith('.') || specifier.startsWith('/'))
    .map((specifier) => resolve(specifier, from));
  return { now, later, preloads };
}

/**
 * Every script reachable from `start` (a page's module scripts and module preloads) and its
 * inline scripts, through static imports and the dynamic ones made as the page loads, and
 * also through every other dynamic one if `all`. `files` gives a script's code by site path.
 */
export async function scriptClosure(
  start: string[],
  inline: string[],
  page: { path: string; html: string },
  files: { get(path: string): Promise<{ text: string }> },
  all: boolean,
): Promise<string[]> {
  const seen = new Set<string>();
  const queue = [...start];
  // A preload goes with its dynamic import; one made at load brings its static imports anyway.
  const follow = (found: { now: string[]; later: string[]; preloads: string[] }) =>
    queue.push(
      ...found.now,
      ...found.later.filter((path) => all || importedAtLoad(path, page.html)),
      ...(all ? found.preloads : []),
    );
  for (const code of inline) follow(importsOf(code, page.path));
  while (queue.length > 0) {
    const path = queue.shift()!;
    if (seen.has(path)) continue;
    seen.add(path);
    if (!path.endsWith('.js') && !path.endsWith('.mjs')) continue;
    follow(importsOf((await files.get(path)).text, path));
  }
  return [...seen];
}
