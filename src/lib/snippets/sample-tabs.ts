import { SAMPLE_LANGUAGES, isLanguageId } from './languages/index.ts';

/** One tab of a code sample: what the author wrote, before any highlighting. */
export interface SampleSource {
  /** Tab-sync id: a language id (`node`, `cli`, …) or, for other tabs, a slug of the label. */
  tab: string;
  label: string;
  /** Shiki grammar. */
  grammar: string;
  /** Code with author tokens (`{{SECRET_KEY}}`, …). */
  code: string;
}

/** Fence languages and the language tab each belongs to. */
export const TAB_BY_FENCE_LANGUAGE: Readonly<Record<string, string>> = {
  bash: 'curl',
  sh: 'curl',
  shell: 'curl',
  curl: 'curl',
  keyway: 'cli',
  js: 'node',
  javascript: 'node',
  mjs: 'node',
  ts: 'node',
  typescript: 'node',
  node: 'node',
  py: 'python',
  python: 'python',
  rb: 'ruby',
  ruby: 'ruby',
  php: 'php',
  go: 'go',
  java: 'java',
  cs: 'dotnet',
  csharp: 'dotnet',
};

const GRAMMAR_BY_FENCE_LANGUAGE: Record<string, string> = {
  sh: 'bash',
  shell: 'bash',
  curl: 'bash',
  keyway: 'bash',
  js: 'javascript',
  mjs: 'javascript',
  node: 'javascript',
  ts: 'typescript',
  py: 'python',
  rb: 'ruby',
  cs: 'csharp',
};

const LABEL_BY_TAB = new Map(SAMPLE_LANGUAGES.map((language) => [language.id, language.label]));
const TAB_BY_LABEL = new Map(SAMPLE_LANGUAGES.map((language) => [language.label.toLowerCase(), language.id]));

/** Every `name=value` option in a fence's meta string: `title="Your keys" tab=cli`. */
export function fenceMetaOptions(meta: string | null | undefined): Array<[name: string, value: string]> {
  return [...(meta ?? '').matchAll(/([A-Za-z][\w-]*)=(?:"([^"]*)"|'([^']*)'|(\S+))/g)].map((match) => [
    match[1]!,
    match[2] ?? match[3] ?? match[4] ?? '',
  ]);
}

/** Reads `title="…"` and `tab=…` from a fence's meta string (the options FENCE_OPTIONS lists). */
export function parseFenceMeta(meta: string | null | undefined): { title?: string; tab?: string } {
  const out: { title?: string; tab?: string } = {};
  for (const [name, value] of fenceMetaOptions(meta)) {
    if (name === 'title' || name === 'tab') out[name] = value;
  }
  return out;
}

/**
 * Turns one code fence into a sample tab. The tab is the fence's `tab=` meta, else a
 * language named by its title ("Python"), else the one its language implies (bash → curl),
 * so tabs sync with `<Request>` samples on the same page.
 */
export function sampleFromFence(
  lang: string | null | undefined,
  meta: string | null | undefined,
  code: string,
): SampleSource {
  const fenceLanguage = (lang ?? 'text').toLowerCase();
  const { title, tab: explicitTab } = parseFenceMeta(meta);
  const tab =
    explicitTab ??
    (title ? TAB_BY_LABEL.get(title.toLowerCase()) : undefined) ??
    TAB_BY_FENCE_LANGUAGE[fenceLanguage] ??
    slug(title ?? fenceLanguage);
  const label = title ?? (isLanguageId(tab) ? LABEL_BY_TAB.get(tab)! : fenceLanguage);
  const grammar = GRAMMAR_BY_FENCE_LANGUAGE[fenceLanguage] ?? fenceLanguage;
  return { tab, label, grammar, code };
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'code'
  );
}
