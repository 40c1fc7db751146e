import type { KeywayConfig } from './config.ts';

/** Listening on every interface says nothing about a name to reach it by. */
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);

/**
 * The origin for links that carry a secret (password reset), from configuration alone:
 * `PUBLIC_ORIGIN`, else the address the server listens on. Never the request's Host header,
 * which whoever asks for the link chooses, and could point at their own site.
 */
export function linkOrigin(config: Pick<KeywayConfig, 'publicOrigin' | 'host' | 'port'>): URL {
  if (config.publicOrigin) return config.publicOrigin;
  const host = WILDCARD_HOSTS.has(config.host) ? 'localhost' : config.host;
  return new URL(`http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${config.port}`);
}
