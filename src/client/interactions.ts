import { initSidebar } from './sidebar.ts';
import { initCopyButtons } from './copy.ts';
import { initKeyTips } from './key-tips.ts';

export { copyPage } from './page-copy.ts';

/** What the page does when the reader uses it, loaded on first use (first-interaction.ts). */
export function initInteractions(): void {
  initSidebar();
  initCopyButtons();
  initKeyTips();
}
