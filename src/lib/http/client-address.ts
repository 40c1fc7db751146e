import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import proxyaddr from 'proxy-addr';

/**
 * Which proxies in front of the server may report the client's address in
 * `X-Forwarded-For` (`TRUSTED_PROXIES`): the number of proxy hops, or the addresses and
 * CIDR ranges of the proxies. Unset (null in the configuration): no forwarded header counts.
 */
export type TrustedProxies = { hops: number } | { ranges: string[] };

/** Is the address at this hop (0: the socket's peer) a proxy we trust? */
type TrustFunction = (address: string, hop: number) => boolean;

const trustFunctions = new WeakMap<TrustedProxies, TrustFunction>();

/**
 * Compiles a range list as proxy-addr does, which also accepts its names `loopback`,
 * `linklocal` and `uniquelocal`. Throws on a malformed address or range, with the reason.
 */
export function compileRanges(ranges: string[]): TrustFunction {
  return proxyaddr.compile(ranges);
}

function trustFunction(trusted: TrustedProxies): TrustFunction {
  let trust = trustFunctions.get(trusted);
  if (!trust) {
    if ('hops' in trusted) {
      const { hops } = trusted;
      trust = (_, hop) => hop < hops;
    } else {
      trust = compileRanges(trusted.ranges);
    }
    trustFunctions.set(trusted, trust);
  }
  return trust;
}

/** The address in one spelling: IPv4-mapped IPv6 as IPv4, IPv6 lower-case and compressed. */
function normalize(address: string): string {
  return ipaddr.process(address).toString();
}

/**
 * The client's address, as the address throttles and limits key on. With no trusted
 * proxies it is the socket's peer and `X-Forwarded-For` is ignored, since anyone can send
 * it. Otherwise the header's entries are read from the right (the nearest proxy appends
 * last), passing over trusted hops; the first untrusted one is the client, so entries a
 * client wrote itself on the left are never reached. An entry that is not an IP address
 * is never returned (a client could vary it at will to get fresh counts): the hop that
 * reported it stands for the client instead.
 */
export function clientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | string[] | null | undefined,
  trusted: TrustedProxies | null,
): string {
  // A closed socket has no address; such requests share one count rather than none.
  if (!socketAddress || !isIP(socketAddress)) return 'unknown';
  if (!trusted) return normalize(socketAddress);
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(', ') : (forwardedFor ?? '');
  // proxy-addr reads only these two fields of a request, so callers need no Node request.
  const request = { headers: { 'x-forwarded-for': header }, socket: { remoteAddress: socketAddress } };
  const chain = proxyaddr.all(request as unknown as IncomingMessage, trustFunction(trusted));
  let client = socketAddress;
  for (const address of chain) {
    if (!isIP(address)) break;
    client = address;
  }
  return normalize(client);
}
