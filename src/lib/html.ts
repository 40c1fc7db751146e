const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for use in HTML content or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!);
}

/** Declaration or registry text as HTML: escaped, with what is in backticks as `<code>`. */
export function inlineCodeHtml(text: string): string {
  return text
    .split('`')
    .map((part, index) => (index % 2 === 1 ? `<code>${escapeHtml(part)}</code>` : escapeHtml(part)))
    .join('');
}

/**
 * A declared description as HTML: paragraphs split by blank lines, lines starting `- ` as a
 * list, and backticks as code (the little Markdown the API declaration's text uses; the
 * OpenAPI document passes the same text on as CommonMark).
 */
export function descriptionHtml(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((block) => {
      const lines = block.split('\n').filter((line) => line.trim() !== '');
      if (lines.length > 0 && lines.every((line) => line.startsWith('- '))) {
        return `<ul>${lines.map((line) => `<li>${inlineCodeHtml(line.slice(2))}</li>`).join('')}</ul>`;
      }
      return `<p>${inlineCodeHtml(lines.join(' '))}</p>`;
    })
    .join('');
}
