import ipaddr from 'ipaddr.js';

/**
 * Whether a listen address (`HOST`) is loopback only: `localhost`, `127.x.x.x` or `::1`. It lives
 * with the configuration, which decides `WEBHOOK_PRIVATE_TARGETS=auto` with it, so that
 * `src/lib/webhooks` can read the database (which reads the configuration) without a cycle.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost') return true;
  return ipaddr.isValid(bare) && ipaddr.parse(bare).range() === 'loopback';
}
