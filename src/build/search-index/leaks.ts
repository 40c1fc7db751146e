import { STANDINS } from '../../lib/page-template/standins.ts';

/** Shaped like a key: a key prefix and at least eight key characters. */
const KEY_SHAPED = /\b(?:sk|pk|rk)_(?:test|live)_[0-9A-Za-z]{8,}/g;
const AUTHOR_TOKEN = /\{\{[A-Z_]+\}\}/g;

/**
 * Anything in the search index that must never be there: key-shaped strings, stand-ins
 * and author tokens. The index is public and cached, so one would reach every reader.
 */
export function findLeaks(text: string): string[] {
  const found = [...text.matchAll(KEY_SHAPED), ...text.matchAll(AUTHOR_TOKEN)].map((match) => match[0]);
  for (const standin of Object.values(STANDINS)) if (text.includes(standin)) found.push(standin);
  return found;
}
