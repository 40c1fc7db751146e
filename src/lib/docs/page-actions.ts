/** A link that opens an AI assistant on a docs page. */
export interface AssistantLink {
  label: string;
  href: string;
}

/**
 * "Open in ChatGPT" and "Open in Claude": each opens a new chat with a prompt asking the
 * assistant to read the page's public `.md` URL. The prompt carries that URL and nothing of the
 * reader's: the assistant fetches the page without the reader's cookie, so the Markdown it gets
 * has sample keys in place of the reader's own, and no key is ever put in a third party's URL.
 */
export function assistantLinks(markdownUrl: string): AssistantLink[] {
  const prompt = encodeURIComponent(
    `Read ${markdownUrl} so that you can answer my questions about it and help me use this API.`,
  );
  return [
    { label: 'Open in ChatGPT', href: `https://chatgpt.com/?q=${prompt}` },
    { label: 'Open in Claude', href: `https://claude.ai/new?q=${prompt}` },
  ];
}
