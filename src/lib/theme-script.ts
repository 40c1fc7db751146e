import { createHash } from 'node:crypto';

/**
 * Runs in <head> before first paint, so a dark-mode reader never sees a light flash: the
 * saved choice, else the system's. Kept as a string so astro.config.mjs can allow exactly
 * this script in the content security policy by its hash.
 */
export const THEME_SCRIPT =
  "(function(){var s=null;try{s=localStorage.getItem('kw-theme')}catch(e){}" +
  "var d=s?s==='dark':matchMedia('(prefers-color-scheme: dark)').matches;" +
  "document.documentElement.dataset.theme=d?'dark':'light'})()";

/** The CSP source that allows {@link THEME_SCRIPT}. */
export const THEME_SCRIPT_HASH =
  `sha256-${createHash('sha256').update(THEME_SCRIPT).digest('base64')}` as const;
