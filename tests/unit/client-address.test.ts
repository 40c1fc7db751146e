import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/lib/config/config.ts';
import { clientAddress } from '../../src/lib/http/client-address.ts';

describe('the client address', () => {
  it('is the socket address, whatever X-Forwarded-For says, when no proxy is trusted', () => {
    expect(clientAddress('203.0.113.9', '198.51.100.1', null)).toBe('203.0.113.9');
    expect(clientAddress('::ffff:203.0.113.9', '198.51.100.1', null)).toBe('203.0.113.9');
  });

  it('with a hop count, is the entry that many proxies from the socket', () => {
    const oneHop = { hops: 1 };
    expect(clientAddress('10.0.0.2', '198.51.100.7', oneHop)).toBe('198.51.100.7');
    // A client that writes its own header only adds entries on the left, never read.
    expect(clientAddress('10.0.0.2', '1.2.3.4, 5.6.7.8, 198.51.100.7', oneHop)).toBe('198.51.100.7');
    expect(clientAddress('10.0.0.2', '1.2.3.4, 198.51.100.7, 10.0.0.3', { hops: 2 })).toBe('198.51.100.7');
    // No header: the socket's peer is all there is.
    expect(clientAddress('10.0.0.2', null, oneHop)).toBe('10.0.0.2');
  });

  it('with addresses and CIDR ranges, is the rightmost entry outside them', () => {
    const ranges = { ranges: ['10.0.0.0/8', '2001:db8::1'] };
    expect(clientAddress('10.0.0.2', '1.2.3.4, 198.51.100.7, 10.9.9.9', ranges)).toBe('198.51.100.7');
    expect(clientAddress('2001:db8::1', '198.51.100.7', ranges)).toBe('198.51.100.7');
    // A socket peer that is not a trusted proxy is the client, whatever it forwards.
    expect(clientAddress('203.0.113.9', '198.51.100.7', ranges)).toBe('203.0.113.9');
    // Several header lines read as one list, in order.
    expect(clientAddress('10.0.0.2', ['1.2.3.4', '198.51.100.7, 10.0.0.3'], ranges)).toBe('198.51.100.7');
  });

  it('writes one address one way: IPv4-mapped IPv6 as IPv4, IPv6 compressed and lower-case', () => {
    const oneHop = { hops: 1 };
    expect(clientAddress('10.0.0.2', '::FFFF:198.51.100.7', oneHop)).toBe('198.51.100.7');
    expect(clientAddress('10.0.0.2', '2001:DB8:0:0:0:0:0:7', oneHop)).toBe('2001:db8::7');
    expect(clientAddress('::ffff:10.0.0.2', '198.51.100.7', { ranges: ['10.0.0.0/8'] })).toBe('198.51.100.7');
  });

  it('never returns garbage: the hop that forwarded it stands for the client', () => {
    const oneHop = { hops: 1 };
    expect(clientAddress('10.0.0.2', 'not-an-address', oneHop)).toBe('10.0.0.2');
    expect(clientAddress('10.0.0.2', '198.51.100.7, <script>', { hops: 2 })).toBe('10.0.0.2');
    expect(clientAddress('10.0.0.2', ' , ,', oneHop)).toBe('10.0.0.2');
    expect(clientAddress('10.0.0.2', '1.2.3.4, x, 198.51.100.7', { ranges: ['10.0.0.0/8'] })).toBe(
      '198.51.100.7',
    );
    expect(clientAddress(undefined, '198.51.100.7', oneHop)).toBe('unknown');
  });
});

describe('TRUSTED_PROXIES', () => {
  it('is unset by default, a hop count, or a list of addresses and ranges', () => {
    expect(loadConfig({}).trustedProxies).toBeNull();
    expect(loadConfig({ TRUSTED_PROXIES: '1' }).trustedProxies).toEqual({ hops: 1 });
    expect(loadConfig({ TRUSTED_PROXIES: '10.0.0.0/8, ::1 ,loopback' }).trustedProxies).toEqual({
      ranges: ['10.0.0.0/8', '::1', 'loopback'],
    });
  });

  it.each(['proxy.example.com', '10.0.0.0/33', ',', '-1'])('refuses %j, saying what it expects', (value) => {
    expect(() => loadConfig({ TRUSTED_PROXIES: value })).toThrow(ConfigError);
    expect(() => loadConfig({ TRUSTED_PROXIES: value })).toThrow(
      `TRUSTED_PROXIES=${JSON.stringify(value)}: expected a number of proxy hops (e.g. 1) or a comma-separated list`,
    );
  });
});
