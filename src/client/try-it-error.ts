import { adviceFor } from '../isomorphic/error-advice.ts';
import { lineElement } from './output.ts';

/** The `error` object of a failed sandbox response, as the try-it reads it. */
export interface SandboxErrorBody {
  code?: string;
  message?: string;
  param?: string;
  doc_url?: string;
  request_log_url?: string;
}

/**
 * A failure explained above the raw response: the sandbox's message, then what to do, then
 * the field it names (marked invalid, with a button that focuses it) and the error's links.
 * The sandbox sends `request_log_url` only for a key with a dashboard, so a guest is never
 * sent to a page they cannot open.
 */
export function explainError(widget: HTMLElement, error: SandboxErrorBody, status: number): Node[] {
  const nodes: Node[] = [];
  const message = lineElement(error.message ?? 'The request failed.', 'kw-tryit__message');
  message.id = `${widget.querySelector('form input')?.id ?? 'kw-tryit'}-error`;
  nodes.push(message);
  const advice = adviceFor(error.code, status);
  if (advice) nodes.push(lineElement(advice, 'kw-tryit__advice'));
  const input = error.param ? fieldNamed(widget, error.param) : null;
  const actions = document.createElement('p');
  actions.className = 'kw-tryit__actions';
  if (input) {
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-errormessage', message.id);
    const fix = Object.assign(document.createElement('button'), {
      type: 'button',
      className: 'kw-button kw-button--small',
      textContent: `Fix ${error.param}`,
    });
    fix.addEventListener('click', () => input.focus());
    actions.append(fix);
  }
  if (error.doc_url) actions.append(anchor(error.doc_url, `About ${error.code ?? 'this error'}`));
  if (error.request_log_url) actions.append(anchor(error.request_log_url, 'This request in your log'));
  if (actions.childNodes.length > 0) nodes.push(actions);
  return nodes;
}

/** The try-it field for a param the sandbox named (`metadata[order_id]`), if the form has one. */
function fieldNamed(widget: HTMLElement, param: string): HTMLInputElement | null {
  return (
    [...widget.querySelectorAll<HTMLInputElement>('form input[name]')].find(
      (input) => input.name === param,
    ) ?? null
  );
}

function anchor(href: string, text: string): HTMLAnchorElement {
  return Object.assign(document.createElement('a'), { href, textContent: text });
}
