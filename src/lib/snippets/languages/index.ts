import type { Generator } from '../../../isomorphic/api-call.ts';
import { curl } from './curl.ts';
import { cli } from './cli.ts';
import { node } from './node.ts';
import { python } from './python.ts';
import { ruby } from './ruby.ts';
import { php } from './php.ts';
import { go } from './go.ts';
import { java } from './java.ts';
import { dotnet } from './dotnet.ts';

/** A language that `<Request>` renders, in tab order. */
export interface SampleLanguage {
  /** Stable id: the tab-sync key, the `?lang=` value and the cookie value. */
  id: LanguageId;
  /** Tab label. */
  label: string;
  /** Shiki grammar used to highlight it. */
  grammar: string;
  generate: Generator;
}

export const LANGUAGE_IDS = ['curl', 'cli', 'node', 'python', 'ruby', 'php', 'go', 'java', 'dotnet'] as const;

export type LanguageId = (typeof LANGUAGE_IDS)[number];

export const SAMPLE_LANGUAGES: readonly SampleLanguage[] = [
  { id: 'curl', label: 'curl', grammar: 'bash', generate: curl },
  { id: 'cli', label: 'CLI', grammar: 'bash', generate: cli },
  { id: 'node', label: 'Node', grammar: 'javascript', generate: node },
  { id: 'python', label: 'Python', grammar: 'python', generate: python },
  { id: 'ruby', label: 'Ruby', grammar: 'ruby', generate: ruby },
  { id: 'php', label: 'PHP', grammar: 'php', generate: php },
  { id: 'go', label: 'Go', grammar: 'go', generate: go },
  { id: 'java', label: 'Java', grammar: 'java', generate: java },
  { id: 'dotnet', label: '.NET', grammar: 'csharp', generate: dotnet },
];

/** The tab shown when the reader has not chosen one. */
export const DEFAULT_LANGUAGE: LanguageId = 'curl';

/** Narrows an untrusted string (cookie, query) to a language id. */
export function isLanguageId(value: unknown): value is LanguageId {
  return typeof value === 'string' && (LANGUAGE_IDS as readonly string[]).includes(value);
}
