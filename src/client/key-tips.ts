/**
 * Explains a key in a code sample ("Sample key: sign in to see your own test key") on
 * hover and on keyboard focus. The tip floats outside the code block, so a scrolling
 * block does not clip it; the native title is set aside so only one tip shows.
 */
export function initKeyTips(): void {
  const tip = document.createElement('div');
  tip.className = 'kw-key-tip';
  tip.setAttribute('aria-hidden', 'true');
  tip.hidden = true;
  document.body.append(tip);

  const show = (key: HTMLElement) => {
    tip.textContent = key.dataset.tip ?? '';
    tip.hidden = false;
    const box = key.getBoundingClientRect();
    const top = box.top - tip.offsetHeight - 6;
    tip.style.top = `${top < 4 ? box.bottom + 6 : top}px`;
    tip.style.left = `${Math.max(4, Math.min(box.left, innerWidth - tip.offsetWidth - 4))}px`;
  };
  const hide = () => {
    tip.hidden = true;
  };

  for (const key of document.querySelectorAll<HTMLElement>('.kw-key')) {
    key.dataset.tip = key.title;
    key.removeAttribute('title');
    key.addEventListener('mouseenter', () => show(key));
    key.addEventListener('focus', () => show(key));
    key.addEventListener('mouseleave', hide);
    key.addEventListener('blur', hide);
  }
  addEventListener('scroll', hide, { passive: true });
  // Loaded by the first hover or focus of a key, whose own event came before these listeners.
  const current = document.querySelector<HTMLElement>('.kw-key:hover, .kw-key:focus');
  if (current) show(current);
}
