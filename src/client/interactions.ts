import { initSidebar } from './sidebar.ts';
import { initSampleTabs } from './sample-tabs.ts';
import { initCopyButtons } from './copy.ts';
import { initKeyTips } from './key-tips.ts';
import { initPageActions } from './page-actions.ts';

/** What the page does when the reader uses it, loaded on first use (first-interaction.ts). */
export function initInteractions(): void {
  initSidebar();
  initSampleTabs();
  initCopyButtons();
  initKeyTips();
  initPageActions();
}
