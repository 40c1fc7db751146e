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

export function lineElement(text: string, className: string): HTMLElement {
  const line = document.createElement('div');
  line.className = className;
  line.textContent = text;
  return line;
}
