import { describe, expect, it } from 'vitest';
import {
  addressRefusal,
  checkWebhookTarget,
  isLoopbackHost,
  WebhookTargetError,
  type Lookup,
} from '../../src/lib/webhooks/address-policy.ts';

/**
 * The address policy that keeps webhook deliveries (and the URLs endpoints are created with)
 * off the server's own network: which addresses are refused and why, how host names are
 * resolved and checked, and which listen addresses count as a Keyway for one developer.
 */

/** A resolver with a fixed answer per name, counting what it was asked. */
function resolver(answers: Record<string, string[]>): Lookup & { asked: string[] } {
  const asked: string[] = [];
  const lookup = async (hostname: string) => {
    asked.push(hostname);
    const addresses = answers[hostname];
    if (!addresses) throw new Error(`ENOTFOUND ${hostname}`);
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(lookup, { asked });
}

describe('addressRefusal', () => {
  it('passes public addresses, IPv4 and IPv6', () => {
    for (const address of ['93.184.215.14', '8.8.8.8', '2606:4700:4700::1111', '::ffff:93.184.215.14'])
      expect(addressRefusal(address), address).toBeNull();
  });

  it('refuses each kind of address the server keeps to itself, saying which kind', () => {
    const cases: Array<[string, RegExp]> = [
      ['127.0.0.1', /loopback/],
      ['127.8.9.10', /loopback/],
      ['::1', /loopback/],
      ['10.0.0.1', /private/],
      ['172.16.5.4', /private/],
      ['192.168.1.1', /private/],
      ['fd00:ec2::254', /private/],
      ['169.254.169.254', /link-local.*metadata/],
      ['fe80::1', /link-local/],
      ['224.0.0.1', /multicast/],
      ['ff02::1', /multicast/],
      ['0.0.0.0', /unspecified/],
      ['::', /unspecified/],
      ['100.100.100.200', /carrier-grade NAT/],
      ['255.255.255.255', /broadcast/],
      ['192.0.2.1', /reserved/],
    ];
    for (const [address, words] of cases) expect(addressRefusal(address), address).toMatch(words);
  });

  it('sees through IPv4-mapped IPv6 addresses', () => {
    expect(addressRefusal('::ffff:127.0.0.1')).toMatch(/loopback/);
    expect(addressRefusal('::ffff:10.0.0.1')).toMatch(/private/);
    expect(addressRefusal('::ffff:169.254.169.254')).toMatch(/link-local/);
  });

  it('refuses what is not an address', () => {
    for (const text of ['', 'localhost', '999.1.1.1', 'example.com'])
      expect(addressRefusal(text), text).toBe('not an IP address');
  });
});

describe('checkWebhookTarget', () => {
  it('checks an IP literal without asking the resolver, brackets and all', async () => {
    const lookup = resolver({});
    await expect(checkWebhookTarget(new URL('https://93.184.215.14/hook'), false, lookup)).resolves.toEqual({
      address: '93.184.215.14',
      family: 4,
    });
    await expect(checkWebhookTarget(new URL('https://[2606:4700::1]/'), false, lookup)).resolves.toEqual({
      address: '2606:4700::1',
      family: 6,
    });
    expect(lookup.asked).toEqual([]);
  });

  it('refuses private literals, naming the URL’s origin and what to do instead', async () => {
    for (const url of [
      'http://127.0.0.1/',
      'http://[::1]:8080/',
      'http://10.0.0.1/',
      'http://169.254.169.254/latest/meta-data',
      'http://[::ffff:127.0.0.1]/',
      'http://0.0.0.0:3000/',
      'http://224.0.0.1/',
      'http://100.100.100.200/',
      'http://[fd00:ec2::254]/',
    ]) {
      const error = await checkWebhookTarget(new URL(url), false, resolver({})).catch((e: unknown) => e);
      expect(error, url).toBeInstanceOf(WebhookTargetError);
      expect((error as Error).message, url).toContain(new URL(url).origin);
      expect((error as Error).message, url).toMatch(/keyway listen/);
    }
  });

  it('resolves a name and refuses it when any of its addresses is refused', async () => {
    const lookup = resolver({
      'evil.example': ['127.0.0.1'],
      'mixed.example': ['93.184.215.14', '10.0.0.7'],
      'metadata.example': ['fd00:ec2::254'],
    });
    await expect(checkWebhookTarget(new URL('http://evil.example/'), false, lookup)).rejects.toThrow(
      /evil\.example resolves to 127\.0\.0\.1/,
    );
    await expect(checkWebhookTarget(new URL('https://mixed.example/'), false, lookup)).rejects.toThrow(
      /mixed\.example resolves to 10\.0\.0\.7/,
    );
    await expect(checkWebhookTarget(new URL('https://metadata.example/'), false, lookup)).rejects.toThrow(
      /a private address/,
    );
  });

  it('returns the checked address to connect to, so a second look-up cannot change it', async () => {
    const lookup = resolver({
      'hooks.example.com': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
    });
    await expect(checkWebhookTarget(new URL('https://hooks.example.com/'), false, lookup)).resolves.toEqual({
      address: '93.184.215.14',
      family: 4,
    });
    expect(lookup.asked).toEqual(['hooks.example.com']);
  });

  it('refuses a name that does not resolve, or resolves to nothing', async () => {
    const lookup = resolver({ 'empty.example': [] });
    await expect(checkWebhookTarget(new URL('https://nowhere.example/'), true, lookup)).rejects.toThrow(
      'The host nowhere.example could not be resolved.',
    );
    await expect(checkWebhookTarget(new URL('https://empty.example/'), false, lookup)).rejects.toThrow(
      'The host empty.example could not be resolved.',
    );
  });

  it('lets every address through when private targets are allowed', async () => {
    const lookup = resolver({ 'evil.example': ['127.0.0.1'] });
    for (const url of [
      'http://127.0.0.1/',
      'http://[::1]/',
      'http://169.254.169.254/',
      'http://evil.example/',
    ])
      await expect(checkWebhookTarget(new URL(url), true, lookup), url).resolves.toHaveProperty('address');
  });
});

describe('isLoopbackHost', () => {
  it('knows the listen addresses that serve only this machine', () => {
    for (const host of ['localhost', 'LOCALHOST', '127.0.0.1', '127.1.2.3', '::1', '[::1]'])
      expect(isLoopbackHost(host), host).toBe(true);
  });

  it('counts every other listen address as serving others', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', 'example.com', 'localhost.example', ''])
      expect(isLoopbackHost(host), host).toBe(false);
  });
});
