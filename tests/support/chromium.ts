/**
 * How every test and script starts the system Chromium: headless, as root (no sandbox),
 * without a GPU, and without the background connections this machine's closed network
 * would refuse.
 */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
