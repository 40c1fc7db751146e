/** Renders values as the shell prints them: pretty JSON with light colouring, as text nodes. */
export function jsonElement(value: unknown): HTMLElement {
  const pre = document.createElement('pre');
  pre.className = 'kw-term__json';
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  // Colour keys, strings and literals without ever parsing the text as HTML.
  const pattern = /("(?:\\.|[^"\\])*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?)/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    pre.append(text.slice(last, match.index));
    const span = document.createElement('span');
    span.className = match[2] ? 'kw-term__key' : match[1] ? 'kw-term__string' : 'kw-term__literal';
    span.textContent = match[1] ?? match[3] ?? match[4] ?? '';
    pre.append(span);
    if (match[2]) pre.append(match[2]);
    last = match.index + match[0].length;
  }
  pre.append(text.slice(last));
  return pre;
}

/** One line of text, as a block with a class. */
export function lineElement(text: string, className: string): HTMLElement {
  const line = document.createElement('div');
  line.className = className;
  line.textContent = text;
  return line;
}

/**
 * A line whose words each wrap as a whole: a browser would otherwise break inside
 * `--email=jenny.rosen@example.com` after its hyphens. A word longer than the line still breaks
 * (shell.css), and the spaces stay text, so a copied line reads as it was typed.
 */
export function wordsElement(text: string, className: string): HTMLElement {
  const line = document.createElement('div');
  line.className = className;
  for (const part of text.split(/(\s+)/)) {
    if (!part) continue;
    if (/^\s/.test(part)) {
      line.append(part);
      continue;
    }
    const word = document.createElement('span');
    word.className = 'kw-term__word';
    word.textContent = part;
    line.append(word);
  }
  return line;
}
