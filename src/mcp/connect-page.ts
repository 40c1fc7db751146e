import { escapeHtml } from '../lib/html.ts';
import { securityHeaders } from '../lib/http/security-headers.ts';

/** Where the full guide to connecting an assistant lives. */
export const GUIDE_PATH = '/docs/ai-assistants';

/**
 * What a browser gets at `/mcp`: the endpoint is for assistants, so a person who opens it
 * is told how to connect one, with the guide linked. No scripts, no styles, no key: it is
 * the same for every reader.
 */
export function connectPage(siteOrigin: string, secure: boolean): Response {
  const endpoint = escapeHtml(`${siteOrigin}/mcp`);
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Keyway MCP server</title></head>
<body>
<main>
<h1>Keyway MCP server</h1>
<p>This address is for AI assistants, over the Model Context Protocol (Streamable HTTP). Add it to your assistant as a remote HTTP server:</p>
<pre><code>${endpoint}</code></pre>
<p>Send your test secret key (or a restricted key) as <code>Authorization: Bearer sk_test_…</code> to let the assistant use your sandbox. Without a key it can search and read the docs only. For example, in Claude Code:</p>
<pre><code>claude mcp add --transport http keyway ${endpoint} --header "Authorization: Bearer sk_test_…"</code></pre>
<p><a href="${GUIDE_PATH}">Use Keyway from your AI assistant</a>: set-up for Claude Code, Cursor, VS Code and other clients.</p>
</main>
</body>
</html>
`;
  return new Response(html, {
    status: 200,
    headers: {
      ...securityHeaders(secure),
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': "default-src 'none'",
      'cache-control': 'no-cache',
    },
  });
}
