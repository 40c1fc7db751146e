// A type only: nothing of the server's bus reaches the browser bundle.
import type { DeliveryNotice } from '../lib/live/request-bus.ts';

/**
 * The webhook guide's live line: follows the reader's own stream for deliveries (what their
 * handler answered to a `keyway listen` forward or an endpoint's delivery), shows the newest,
 * and turns green on a 2xx. Any delivery means the listener runs, so the first step is done;
 * a 2xx means the handler checked the signature too, so every step up to the line's is done.
 */
export function initWebhookStatus(): void {
  const status = document.querySelector<HTMLElement>('[data-kw-webhook-status]');
  if (!status || !('EventSource' in window)) return;
  const source = new EventSource('/api/stream');
  // The advice comes with the first delivery, not the page; the line changes once it is here,
  // so state and advice always describe the same delivery, in the order they came.
  let advice: Promise<typeof import('../isomorphic/webhook-advice.ts')> | undefined;
  source.addEventListener('delivery', (event: MessageEvent<string>) => {
    const notice = JSON.parse(event.data) as DeliveryNotice;
    advice ??= import('../isomorphic/webhook-advice.ts');
    void advice.then(({ webhookAdvice }) => show(status, notice, webhookAdvice(notice)));
  });
}

function show(status: HTMLElement, notice: DeliveryNotice, text: string | null): void {
  status.dataset.state = notice.succeeded ? 'ok' : 'failed';
  const answer = notice.status === null ? 'no answer' : String(notice.status);
  status.querySelector('[data-kw-webhook-text]')!.textContent =
    `${notice.eventType} ${notice.eventId} → ${answer} in ${notice.durationMs} ms`;
  const advice = status.querySelector<HTMLElement>('[data-kw-webhook-advice]')!;
  advice.hidden = text === null;
  advice.textContent = [notice.error, text].filter(Boolean).join(' ');
  const steps = [...document.querySelectorAll<HTMLElement>('.kw-steps > ol > li')];
  const own = status.closest('li');
  tick(steps[0]);
  if (notice.succeeded) for (const step of steps.slice(0, steps.indexOf(own as HTMLElement) + 1)) tick(step);
}

/** Marks a step done as the walkthrough does: a tick, and "(done)" for a screen reader. */
function tick(step: HTMLElement | undefined): void {
  if (!step || step.dataset.done !== undefined) return;
  step.dataset.done = '';
  const said = Object.assign(document.createElement('span'), {
    className: 'kw-visually-hidden',
    textContent: ' (done)',
  });
  step.querySelector('h2, h3')?.append(said);
}
