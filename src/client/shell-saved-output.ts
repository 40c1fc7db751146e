/**
 * The docked shell's output, kept for the tab in sessionStorage so it is still there on the
 * next page, as the command history is. Bounded (the last 200 entries, 64 KB in all), and
 * never holding a key: the sandbox's own messages mask keys, but a typed `--api-key=…` is
 * echoed in full, so anything key-shaped is masked before it is stored.
 */

/** One printed entry, as stored and shown again. */
export interface SavedEntry {
  text: string;
  /** The line's class (`kw-term__ok`, …), or `json` for a response body. */
  kind: string;
}

interface SavedOutput {
  /** Whose output it is: the last characters of the key the shell ran with. */
  owner: string;
  entries: SavedEntry[];
}

const OUTPUT_KEY = 'kw-shell-output';
const MAX_ENTRIES = 200;
/** For the entries; the owner and the wrapping add a few characters more. */
const MAX_CHARS = 64 * 1024 - 64;
/** A body longer than this is kept cut, so one big list cannot push out everything else. */
const MAX_ENTRY_CHARS = 16 * 1024;

/** Shaped like a key: a prefix and at least eight key characters; the last four stay readable. */
const KEY_SHAPED = /\b((?:sk|pk|rk)_(?:test|live)_)[0-9A-Za-z]{4,}([0-9A-Za-z]{4})\b/g;

/**
 * The output saved for the shell run with `key`. Output saved for another key (the reader
 * signed in or out in this tab) is not theirs to see, and is dropped.
 */
export function loadOutput(key: string): SavedEntry[] {
  try {
    const saved = JSON.parse(sessionStorage.getItem(OUTPUT_KEY) ?? 'null') as SavedOutput | null;
    if (saved?.owner === owner(key) && Array.isArray(saved.entries)) return saved.entries;
  } catch {
    // Unreadable (written by an older page, or edited): start afresh.
  }
  sessionStorage.removeItem(OUTPUT_KEY);
  return [];
}

/** Stores the newest entries that fit the bounds, keys masked. */
export function saveOutput(key: string, entries: readonly SavedEntry[]): void {
  const kept: SavedEntry[] = [];
  let size = 0;
  for (const entry of entries.slice(-MAX_ENTRIES).reverse()) {
    const entryKept = { text: stored(entry.text), kind: entry.kind };
    // Counted as written, quotes and escapes included, so the stored string keeps the bound.
    size += JSON.stringify(entryKept).length + 1;
    if (size > MAX_CHARS) break;
    kept.unshift(entryKept);
  }
  try {
    sessionStorage.setItem(OUTPUT_KEY, JSON.stringify({ owner: owner(key), entries: kept }));
  } catch {
    // Storage full or refused: the output is still on this page, only not on the next.
  }
}

/** Forgets the saved output (`clear`, Ctrl+L). */
export function clearOutput(): void {
  sessionStorage.removeItem(OUTPUT_KEY);
}

function stored(text: string): string {
  const masked = text.replace(KEY_SHAPED, '$1…$2');
  return masked.length > MAX_ENTRY_CHARS
    ? `${masked.slice(0, MAX_ENTRY_CHARS)}\n… (cut here: too long to keep across pages)`
    : masked;
}

function owner(key: string): string {
  return key.slice(-4);
}
