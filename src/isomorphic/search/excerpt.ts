import { WORD, normalizeWord } from './engine.ts';

/** A run of text, marked when it is a word that matched the query. */
export interface TextPart {
  text: string;
  marked: boolean;
}

/**
 * Splits text into parts, marking each word whose index term is one the result matched.
 * Words go through the index's own normalization, so "keys" is marked for a match on "key"
 * and a typo's correction is marked as the word it found.
 */
export function highlight(text: string, terms: ReadonlySet<string>): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of matchedWords(text, terms)) {
    if (match.index > last) parts.push({ text: text.slice(last, match.index), marked: false });
    parts.push({ text: match[0], marked: true });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), marked: false });
  return parts;
}

/** The words of `text` whose index term is one of `terms`, in order. */
function* matchedWords(text: string, terms: ReadonlySet<string>): Generator<RegExpExecArray> {
  for (const match of text.matchAll(WORD)) {
    const term = normalizeWord(match[0]);
    if (term !== null && terms.has(term)) yield match;
  }
}

/** How much text an excerpt shows before its first match. */
const LEAD = 50;

/**
 * About `length` characters of a section's text, starting a little before its first
 * matched word and cut between words, with the matches marked. Without a match in the
 * text (the heading or title matched), the excerpt is the text's beginning.
 */
export function excerpt(text: string, terms: ReadonlySet<string>, length = 160): TextPart[] {
  if (text.length <= length) return highlight(text, terms);
  const first = matchedWords(text, terms).next().value?.index ?? 0;
  // Near the end of the text, start earlier so the excerpt keeps its length.
  let start = Math.max(0, Math.min(first - LEAD, text.length - length));
  const spaceAfterStart = text.indexOf(' ', start);
  if (start > 0 && spaceAfterStart >= 0 && spaceAfterStart < first) start = spaceAfterStart + 1;
  let end = Math.min(text.length, start + length);
  const spaceBeforeEnd = text.lastIndexOf(' ', end);
  if (end < text.length && spaceBeforeEnd > first) end = spaceBeforeEnd;
  // A cut beside a table's cell separator (src/build/search-index/) drops the dash, so an
  // excerpt never starts or ends with one.
  const parts = highlight(text.slice(start, end).replace(/^— /, '').replace(/ —$/, ''), terms);
  if (start > 0) parts.unshift({ text: '… ', marked: false });
  if (end < text.length) parts.push({ text: ' …', marked: false });
  return parts;
}
