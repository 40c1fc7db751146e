/**
 * Every page's scripts. Each module wires itself to markup that is already server-rendered.
 * What runs here runs on every page before the reader does anything, so it is kept to what
 * must: the theme, the shell's and search's entry points, "On this page", the language tabs
 * and the page actions menu (a key on them must work the moment they have focus), try-it
 * forms shown. The rest loads when it is wanted: the code behind copy buttons, key tips and
 * the sidebar drawer on the first interaction, a try-it's on the first touch of it, and what only
 * some pages use on those pages (the live walkthrough, webhook status), or as it nears the
 * viewport (your requests, beside the reference's operations).
 */
import { initTheme } from './theme.ts';
import { initShell } from './shell.ts';
import { initSampleTabs } from './sample-tabs.ts';
import { initPageActions } from './page-actions.ts';
import { initSearch } from './search.ts';
import { initTocSpy } from './toc-spy.ts';
import { initTryIts } from './try-it-loader.ts';
import { onFirstInteraction } from './first-interaction.ts';
import { whenNear } from './when-near.ts';

initTheme();
// Shown now, though their code waits for the first interaction: a reader must see them to use them.
for (const button of document.querySelectorAll<HTMLElement>(
  '[data-kw-copy], [data-kw-copy-from], [data-kw-sidebar-toggle]',
))
  button.hidden = false;
onFirstInteraction(
  () => import('./interactions.ts').then(({ initInteractions }) => initInteractions()),
  '[data-kw-copy], [data-kw-copy-from], [data-kw-sidebar-toggle]',
);
initShell();
initSampleTabs();
initPageActions();
initSearch();
initTocSpy();
initTryIts();
if (document.querySelector('[data-kw-live-status]')) {
  void import('./live.ts').then(({ initLiveWalkthrough }) => initLiveWalkthrough());
}
if (document.querySelector('[data-kw-webhook-status]')) {
  void import('./webhook-status.ts').then(({ initWebhookStatus }) => initWebhookStatus());
}
whenNear(document.querySelectorAll('[data-kw-your-requests]'), () => {
  void import('./your-requests.ts').then(({ initYourRequests }) => initYourRequests());
});
