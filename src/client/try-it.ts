import type { CliRequest } from '../shared/command-line/parse.ts';
import { sendCliRequest, type CliResponse } from '../shared/command-line/send.ts';
import { jsonElement, lineElement } from './output.ts';

/** What to do about a failed request, by error code or status. */
const ADVICE: Record<string, string> = {
  api_key_expired:
    'This key was rolled and has expired. Reload the page to get the current key, or roll it again on the dashboard.',
  secret_key_required: 'A publishable key cannot do this. Use a secret key (sk_test_…).',
  parameter_unknown:
    'The sandbox does not know one of the parameters: check its spelling against the reference.',
  parameter_missing: 'A required parameter is missing: fill it in and run again.',
  parameter_invalid_integer: 'A parameter needs a whole number.',
  parameter_invalid_string: 'A parameter has a value the sandbox does not accept: see the message above.',
  rate_limit: 'Too many requests at once: wait a second, then run again.',
  guest_limit:
    'Too many guest sandboxes were started from your network today. Try again later, or sign up for keys of your own.',
  sample_key_expired: 'This sample key is more than a day old: reload the page for a fresh one.',
  resource_missing: 'That object does not exist (or belongs to another account): create one first.',
  '401': 'The key was not accepted. Sign in to use your own test key, or reload the page.',
};

/**
 * Try-it widgets: Run sends the call to the sandbox exactly as curl would (Bearer key,
 * form body) and shows status, time, Request-Id and the response; editing a field
 * re-renders the samples beside it, so what the reader copies is what they ran.
 */
export function initTryIt(): void {
  for (const widget of document.querySelectorAll<HTMLElement>('[data-kw-tryit]')) wire(widget);
}

function wire(widget: HTMLElement): void {
  const form = widget.querySelector<HTMLFormElement>('form')!;
  const result = widget.querySelector<HTMLElement>('[data-kw-tryit-result]')!;
  const key = widget.dataset.key!;
  const own = document.documentElement.dataset.keySource === 'account';
  widget.querySelector('[data-kw-tryit-key]')!.textContent =
    `with ${own ? 'your test key' : 'a sample key'} ${key.slice(0, 8)}••••${key.slice(-4)}`;
  form.hidden = false;

  const pairs = () =>
    [...form.querySelectorAll<HTMLInputElement>('input[name]')].map(
      (input) => [input.name, input.value] as [string, string],
    );

  let timer: ReturnType<typeof setTimeout> | undefined;
  form.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void refreshSamples(widget, pairs()), 350);
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = form.querySelector<HTMLButtonElement>('button[type="submit"]')!;
    button.disabled = true;
    button.textContent = 'Running…';
    result.hidden = false;
    result.replaceChildren(lineElement('Sending the request…', 'kw-tryit__pending'));
    try {
      await run(widget, result, key, pairs(), own);
    } finally {
      button.disabled = false;
      button.textContent = 'Run';
    }
  });
}

async function run(
  widget: HTMLElement,
  result: HTMLElement,
  key: string,
  pairs: Array<[string, string]>,
  own: boolean,
) {
  const method = widget.dataset.method! as CliRequest['method'];
  const path = widget.dataset.path!;
  const started = performance.now();
  let response: CliResponse;
  try {
    response = await sendCliRequest(
      { method, path, pairs },
      { apiKey: key, apiBase: widget.dataset.apiBase!, source: 'try-it' },
    );
  } catch {
    result.replaceChildren(
      lineElement('The sandbox did not answer. Check your connection and run again.', 'kw-tryit__error'),
    );
    return;
  }
  const elapsed = Math.round(performance.now() - started);
  const { body, requestId } = response;
  const error = (body as { error?: { code?: string } } | null)?.error;
  const status = document.createElement('p');
  status.className = response.ok ? 'kw-tryit__ok' : 'kw-tryit__error';
  status.textContent = `${response.status} ${response.ok ? 'OK' : 'Error'} · ${elapsed} ms${requestId ? ` · ${requestId}` : ''}`;
  if (requestId && own) {
    const link = document.createElement('a');
    link.href = `/dashboard/logs/${requestId}`;
    link.textContent = 'View in logs';
    status.append(' · ', link);
  }
  const children: Node[] = [status];
  if (!response.ok) {
    const advice = ADVICE[error?.code ?? ''] ?? ADVICE[String(response.status)];
    if (advice) children.push(lineElement(advice, 'kw-tryit__advice'));
  }
  children.push(jsonElement(body));
  result.replaceChildren(...children);
  widget.dispatchEvent(
    new CustomEvent('kw:request', {
      bubbles: true,
      detail: { method, path, requestId, status: response.status, body },
    }),
  );
}

async function refreshSamples(widget: HTMLElement, pairs: Array<[string, string]>): Promise<void> {
  const query = new URLSearchParams({
    method: widget.dataset.method!,
    path: widget.dataset.path!,
    params: new URLSearchParams(pairs).toString(),
  });
  const response = await fetch(`/api/samples?${query}`).catch(() => null);
  if (!response?.ok) return;
  const { panels } = (await response.json()) as { panels: Array<{ tab: string; html: string }> };
  for (const panel of panels) {
    const target = widget.querySelector<HTMLElement>(`.kw-sample__panel[data-tab="${panel.tab}"]`);
    if (target) target.innerHTML = panel.html;
  }
}
