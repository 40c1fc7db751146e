import { KEY_WORDS } from '../isomorphic/key-words.ts';
import { maskKey } from '../isomorphic/key-mask.ts';
import { onFirstUse } from './on-first-use.ts';

/**
 * What every try-it needs at load, and no more: the form shown (it is hidden without
 * JavaScript, which could not send it) and the key it runs with named. The code that runs
 * a call (try-it.ts) comes on the first touch of the widget; a Run pressed before then
 * waits for it and runs.
 */
export function initTryIts(): void {
  const own = document.documentElement.dataset.keySource === 'account';
  for (const widget of document.querySelectorAll<HTMLElement>('[data-kw-tryit]')) {
    const form = widget.querySelector<HTMLFormElement>('form')!;
    widget.querySelector('[data-kw-tryit-key]')!.textContent =
      `with ${KEY_WORDS[own ? 'account' : 'sample']} ${maskKey(widget.dataset.key!)}`;
    form.hidden = false;
    onFirstUse(
      widget,
      form,
      () => import('./try-it.ts'),
      (code) => code.wireTryIt(widget),
      (code) => code.runTryIt(widget),
    );
  }
}
