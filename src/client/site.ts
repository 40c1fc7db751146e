/** Every page's scripts. Each module wires itself to markup that is already server-rendered. */
import { initTheme } from './theme.ts';
import { initSidebar } from './sidebar.ts';
import { initSampleTabs } from './sample-tabs.ts';
import { initCopyButtons } from './copy.ts';
import { initKeyTips } from './key-tips.ts';
import { initShell } from './shell.ts';
import { initTryIt } from './try-it.ts';
import { initLiveWalkthrough } from './live.ts';
import { initObjectIds } from './object-ids.ts';

initTheme();
initSidebar();
initSampleTabs();
initCopyButtons();
initKeyTips();
initShell();
initTryIt();
initLiveWalkthrough();
initObjectIds();
