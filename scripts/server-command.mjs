// How the production server is run, for `npm start`, the tests and the benches alike: the
// plain-JavaScript bundle `astro build` writes (src/build/server-bundle/), under the V8 flags
// below.
import { join } from 'node:path';

/**
 * - `--max-semi-space-size=8` (MB; V8's default is 16): a smaller young generation, collected
 *   more often. The server's peak RSS under the page bench went from about 235-290 MB to
 *   186 MB, and the create and page rates stayed within the benches' noise.
 *   (`--optimize-for-size` saved as much memory but made the collector busy enough to cut the
 *   sandbox's create rate by about 40%: 19% of the create load's samples were in the garbage
 *   collector against 5%.)
 * - `--experimental-async-context-frame`: Astro's Node adapter keeps an AsyncLocalStorage, and
 *   without this flag that turns on promise hooks for the whole process, a cost paid on every
 *   promise of every request (about 5% of a page's or a create's samples were in them).
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=8', '--experimental-async-context-frame'];

/** The arguments to run the built server with `process.execPath`, from the repository `root`. */
export function serverArguments(root) {
  return [...SERVER_NODE_FLAGS, join(root, 'dist/node-server/main.mjs')];
}
