import type { CliRequest } from '../isomorphic/command-line/parse.ts';
import { sendCliRequest, type CliResponse } from '../isomorphic/command-line/send.ts';
import { explainError, type SandboxErrorBody } from './try-it-error.ts';
import { jsonElement, lineElement } from './output.ts';
import { initObjectIds } from './object-ids.ts';

/**
 * A try-it widget's working code, loaded when the reader first touches the widget
 * (try-it-loader.ts shows the form and owns its submit): Run sends the call to the sandbox
 * exactly as curl would (Bearer key, form body) and shows status, time, Request-Id and the
 * response; editing a field re-renders the samples beside it, so what the reader copies is
 * what they ran.
 */
export function wireTryIt(widget: HTMLElement): void {
  initObjectIds();
  const form = widget.querySelector<HTMLFormElement>('form')!;
  let timer: ReturnType<typeof setTimeout> | undefined;
  form.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void refreshSamples(widget, pairs(form)), 350);
  });
  // A field edited while this code was on its way: its samples catch up now.
  const inputs = [...form.querySelectorAll<HTMLInputElement>('input[name]')];
  if (inputs.some((input) => input.value !== input.defaultValue)) void refreshSamples(widget, pairs(form));
}

function pairs(form: HTMLFormElement): Array<[string, string]> {
  return [...form.querySelectorAll<HTMLInputElement>('input[name]')].map(
    (input) => [input.name, input.value] as [string, string],
  );
}

/** Runs the widget's call, as Run does. */
export async function runTryIt(widget: HTMLElement): Promise<void> {
  const form = widget.querySelector<HTMLFormElement>('form')!;
  const result = widget.querySelector<HTMLElement>('[data-kw-tryit-result]')!;
  const key = widget.dataset.key!;
  const own = document.documentElement.dataset.keySource === 'account';
  for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
  const button = form.querySelector<HTMLButtonElement>('button[type="submit"]')!;
  button.disabled = true;
  button.textContent = 'Running…';
  result.hidden = false;
  result.replaceChildren(lineElement('Sending the request…', 'kw-tryit__pending'));
  try {
    await run(widget, result, key, pairs(form), own);
  } finally {
    button.disabled = false;
    button.textContent = 'Run';
  }
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
  const error = (body as { error?: SandboxErrorBody } | null)?.error;
  const status = document.createElement('p');
  status.className = response.ok ? 'kw-tryit__ok' : 'kw-tryit__error';
  status.textContent = `${response.status} ${response.ok ? 'OK' : 'Error'} · ${elapsed} ms${requestId ? ` · ${requestId}` : ''}`;
  // A failure links its log entry through the error's own request_log_url.
  if (requestId && own && response.ok) {
    const link = document.createElement('a');
    link.href = `/dashboard/logs/${requestId}`;
    link.textContent = 'View in logs';
    status.append(' · ', link);
  }
  const children: Node[] = [status];
  if (error) children.push(...explainError(widget, error, response.status));
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
