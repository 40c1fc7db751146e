import { lookup as dnsLookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import { isLoopbackHost } from '../http/loopback-host.ts';

export { isLoopbackHost };

/**
 * Which addresses this server may send webhooks to. Deliveries make the server send requests
 * to URLs readers choose, so a site that serves other people must not let those URLs reach
 * what only the server can reach: its own loopback, the private network around it, or a cloud
 * metadata service (169.254.169.254 is link-local; fd00:ec2::254 is unique-local). A Keyway
 * that listens only on loopback serves its own developer, whose `http://localhost:3000/webhook`
 * is the whole point, so there every address is allowed (`WEBHOOK_PRIVATE_TARGETS`).
 *
 * The check is made on the addresses a host name resolves to, and the connection is then made
 * to the address that was checked, so a name that resolves differently the second time (DNS
 * rebinding) cannot slip past it.
 */

/** Why an address may not be sent to, as words for an error message; null when it is public. */
export function addressRefusal(address: string): string | null {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address);
  } catch {
    return 'not an IP address';
  }
  // ::ffff:10.0.0.1 is 10.0.0.1.
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress())
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  const range = parsed.range();
  if (range === 'unicast') return null;
  const words: Record<string, string> = {
    loopback: 'a loopback address',
    private: 'a private address',
    uniqueLocal: 'a private address',
    linkLocal: 'a link-local address (where cloud metadata services live)',
    multicast: 'a multicast address',
    broadcast: 'a broadcast address',
    unspecified: 'an unspecified address',
    carrierGradeNat: 'a shared (carrier-grade NAT) address',
  };
  return words[range] ?? `a reserved address (${range})`;
}

/** A webhook URL this server will not send to, with the reason in words a reader can act on. */
export class WebhookTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookTargetError';
  }
}

/** An address a host name resolved to, checked. */
export interface CheckedAddress {
  address: string;
  family: 4 | 6;
}

export type Lookup = (hostname: string) => Promise<{ address: string; family: number }[]>;

const systemLookup: Lookup = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * Resolves a webhook URL's host and checks every address it gives. With `allowPrivate`
 * (a Keyway on loopback, or `WEBHOOK_PRIVATE_TARGETS=allow`) any address passes. Otherwise a
 * host with any refused address is refused: choosing among its addresses would let a name that
 * lists a public and a private one reach the private one some of the time.
 */
export async function checkWebhookTarget(
  url: URL,
  allowPrivate: boolean,
  lookup: Lookup = systemLookup,
): Promise<CheckedAddress> {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: { address: string; family: number }[];
  if (ipaddr.isValid(host)) {
    addresses = [{ address: host, family: host.includes(':') ? 6 : 4 }];
  } else {
    try {
      addresses = await lookup(host);
    } catch {
      throw new WebhookTargetError(`The host ${host} could not be resolved.`);
    }
    if (addresses.length === 0) throw new WebhookTargetError(`The host ${host} could not be resolved.`);
  }
  if (!allowPrivate) {
    for (const { address } of addresses) {
      const refusal = addressRefusal(address);
      if (refusal) {
        const via = address === host ? '' : ` (${host} resolves to ${address})`;
        throw new WebhookTargetError(
          `${url.origin} is ${refusal}${via}. This site does not send webhooks to loopback, private, ` +
            'link-local, multicast or metadata addresses. Use a public URL, or `keyway listen` to ' +
            'forward events to your own machine.',
        );
      }
    }
  }
  const first = addresses[0]!;
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}
