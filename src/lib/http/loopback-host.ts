import ipaddr from 'ipaddr.js';

/**
 * Whether a listen address (`HOST`) is loopback only: `localhost`, `127.x.x.x` or `::1`. Here,
 * not in lib/webhooks, because the configuration reads it: lib/webhooks uses the database,
 * which reads the configuration, and the folders must not import each other round a circle.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost') return true;
  return ipaddr.isValid(bare) && ipaddr.parse(bare).range() === 'loopback';
}
