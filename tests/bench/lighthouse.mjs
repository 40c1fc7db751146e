// `npm run lighthouse`: Lighthouse on the walkthrough (/docs/first-request), on desktop and
// mobile, as an anonymous reader and as a signed-in one, against the built production
// server on a fresh SQLite file. Prints the four category scores of each run (target: 100
// in each) and every scored audit that fell short of full marks. Scores vary a little from
// run to run on a busy machine (performance is simulated from what was observed).
// Chromium: CHROME_PATH (default /usr/bin/chromium), headless as in the browser tests.
import * as chromeLauncher from 'chrome-launcher';
import lighthouse, { desktopConfig } from 'lighthouse';
import { CHROMIUM_FLAGS } from '../support/chromium.ts';
import { signUp, startBenchServer } from './bench-server.mjs';

const PAGE = '/docs/first-request';
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];

const { base, stop } = await startBenchServer();
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  chromeFlags: CHROMIUM_FLAGS,
});
const rows = [];
const shortfalls = [];
try {
  const session = await signUp(base, 'lighthouse@example.com');
  const readers = [
    { name: 'anonymous', headers: {} },
    { name: 'signed in', headers: { cookie: session } },
  ];
  // A server that has served the page before, as in production: the first view renders
  // the page's template and compresses it, which is no cost a reader normally meets.
  for (const reader of readers) {
    await fetch(base + PAGE, { headers: { ...reader.headers, 'accept-encoding': 'gzip, deflate, br' } });
  }
  const devices = [
    { name: 'desktop', config: desktopConfig },
    { name: 'mobile', config: undefined },
  ];
  for (const device of devices) {
    for (const reader of readers) {
      const run = `${device.name}, ${reader.name}`;
      const result = await lighthouse(
        base + PAGE,
        {
          port: chrome.port,
          logLevel: 'error',
          onlyCategories: CATEGORIES,
          extraHeaders: reader.headers,
        },
        device.config,
      );
      if (!result) throw new Error(`Lighthouse returned nothing for ${run}.`);
      const { categories, audits, runtimeError } = result.lhr;
      if (runtimeError) throw new Error(`${run}: ${runtimeError.code} ${runtimeError.message}`);
      rows.push([run, ...CATEGORIES.map((id) => Math.round((categories[id]?.score ?? 0) * 100))]);
      for (const id of CATEGORIES) {
        for (const ref of categories[id]?.auditRefs ?? []) {
          const audit = audits[ref.id];
          if (ref.weight > 0 && audit && audit.score !== null && audit.score < 1) {
            const value = audit.displayValue ? ` (${audit.displayValue})` : '';
            shortfalls.push(`${run} · ${id}: ${audit.id}, ${audit.title}${value}`);
          }
        }
      }
    }
  }
} finally {
  chrome.kill();
  stop();
}

const header = ['run', 'performance', 'accessibility', 'best practices', 'SEO'];
const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => String(row[i]).length)));
const line = (cells) =>
  cells.map((cell, i) => String(cell)[i === 0 ? 'padEnd' : 'padStart'](widths[i])).join('  ');
console.log(`\nLighthouse ${PAGE}\n${line(header)}\n${rows.map(line).join('\n')}`);
if (shortfalls.length > 0) console.log(`\nAudits short of 100:\n  ${shortfalls.join('\n  ')}`);
