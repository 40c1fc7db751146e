/**
 * Every page's scripts. Each module wires itself to markup that is already server-rendered.
 * What only some pages use (try-it widgets, the live walkthrough, your requests) loads only on those pages,
 * keeping the script every page pays for small.
 */
import { initTheme } from './theme.ts';
import { initSidebar } from './sidebar.ts';
import { initSampleTabs } from './sample-tabs.ts';
import { initCopyButtons } from './copy.ts';
import { initKeyTips } from './key-tips.ts';
import { initShell } from './shell.ts';
import { initObjectIds } from './object-ids.ts';
import { initSearch } from './search.ts';
import { initTocSpy } from './toc-spy.ts';
import { initPageActions } from './page-actions.ts';

initTheme();
initSidebar();
initSampleTabs();
initCopyButtons();
initKeyTips();
initShell();
initObjectIds();
initSearch();
initTocSpy();
initPageActions();
if (document.querySelector('[data-kw-tryit]'))
  void import('./try-it.ts').then(({ initTryIt }) => initTryIt());
if (document.querySelector('[data-kw-live-status]')) {
  void import('./live.ts').then(({ initLiveWalkthrough }) => initLiveWalkthrough());
}
if (document.querySelector('[data-kw-webhook-status]')) {
  void import('./webhook-status.ts').then(({ initWebhookStatus }) => initWebhookStatus());
}
if (document.querySelector('[data-kw-your-requests]')) {
  void import('./your-requests.ts').then(({ initYourRequests }) => initYourRequests());
}
