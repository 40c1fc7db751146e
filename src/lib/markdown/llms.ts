import { OBJECT_ID_PLACEHOLDERS } from '../page-template/object-ids.ts';
import { compileTemplate, fillTemplate, type SlotValues } from '../page-template/standins.ts';
import type { MarkdownBundle } from './page-markdown.ts';

/**
 * What `/llms-full.txt` shows where a page shows a reader's keys: plainly placeholders, and
 * not key-shaped (an underscore-separated word is no key body), so a scanner or an assistant
 * never takes them for a real key, and the file is the same for everyone and cacheable.
 */
export const KEY_PLACEHOLDERS = {
  secretKey: 'sk_test_YOUR_SECRET_KEY',
  publishableKey: 'pk_test_YOUR_PUBLISHABLE_KEY',
  webhookSecret: 'whsec_YOUR_WEBHOOK_SIGNING_SECRET',
} as const;

/** The values that fill Markdown for no one in particular: placeholders, and the site's origin. */
export function placeholderValues(origin: URL): SlotValues {
  return {
    ...KEY_PLACEHOLDERS,
    apiBase: origin.origin,
    apiHost: origin.hostname,
    apiPort: origin.port || (origin.protocol === 'https:' ? '443' : '80'),
    apiProtocol: origin.protocol.slice(0, -1),
    ...OBJECT_ID_PLACEHOLDERS,
    // Markdown has no HTML slots; these are here only to complete the set.
    keySource: '',
    keyNote: '',
    accountMenu: '',
    keyBanner: '',
    keyIntro: '',
  };
}

/**
 * `/llms.txt` in the llmstxt.org format: the title, a one-paragraph summary, instructions for
 * assistants (no headings, as the format asks), then a list of links per sidebar group, every
 * link an absolute `.md` URL an assistant can fetch as it is.
 */
export function llmsIndex(bundle: MarkdownBundle, origin: URL): string {
  const base = origin.origin;
  const groups = Map.groupBy(bundle.pages, (page) => page.group);
  const sections = [...groups].map(
    ([group, pages]) =>
      `## ${group}\n\n` +
      pages.map((page) => `- [${page.title}](${base}${page.url}.md): ${page.description}`).join('\n'),
  );
  return (
    [
      '# Keyway',
      "> Keyway is the documentation of an API sandbox that speaks Stripe's wire format, with samples that carry each reader's own test keys. Every page below is Markdown; this file lists them all.",
      'Instructions for assistants: use test keys only (`sk_test_…`, `pk_test_…`, `rk_test_…`); the sandbox has no live mode and refuses live keys. ' +
        `Send API requests to ${base}/v1, form-encoded, with the key as the Basic auth user or as \`Authorization: Bearer\`. ` +
        "The sandbox speaks Stripe's wire format, so the official Stripe SDKs work once pointed at this base URL. " +
        `Every error response carries a \`doc_url\`; ${base}/docs/api/errors.md explains each error code and what to change. ` +
        "A page fetched with your session or key shows that reader's own keys; the pages listed here are fetched without them and show sample keys.",
      ...sections,
      `## API description\n\n- [OpenAPI document](${base}/openapi.json): every operation, parameter and object of the sandbox, as OpenAPI 3.1.`,
      `## Optional\n\n- [Every page in one file](${base}/llms-full.txt): all the pages above and the API reference, without keys.`,
    ].join('\n\n') + '\n'
  );
}

/** `/llms-full.txt`: every page's Markdown (curl samples) in sidebar order, keys as placeholders. */
export function llmsFull(bundle: MarkdownBundle, origin: URL): string {
  const values = placeholderValues(origin);
  return bundle.pages
    .map(
      (page) =>
        `${fillTemplate(compileTemplate(page.markdown.curl), values).trimEnd()}\n\nSource: ${origin.origin}${page.url}.md\n`,
    )
    .join('\n\n---\n\n');
}
