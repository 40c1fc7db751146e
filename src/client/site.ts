/** Every page's scripts. Each module wires itself to markup that is already server-rendered. */
import { initTheme } from './theme.ts';
import { initSidebar } from './sidebar.ts';
import { initSampleTabs } from './sample-tabs.ts';
import { initCopyButtons } from './copy.ts';
import { initKeyTips } from './key-tips.ts';

initTheme();
initSidebar();
initSampleTabs();
initCopyButtons();
initKeyTips();
