import { describe, expect, it } from 'vitest';
import { PageCache, type CachedPage } from '../../src/server/page-cache.ts';
import { canonicalPagePath } from '../../src/server/page-path.ts';

/** Stands in for a page's gzip streams: how many bytes they hold, and who to tell when that changes. */
class FakeGzip {
  bytes = 0;
  #listener: (bytes: number) => void = () => {};
  onResize(listener: (bytes: number) => void) {
    this.#listener = listener;
  }
  grow(bytes: number) {
    this.bytes += bytes;
    this.#listener(this.bytes);
  }
}

/** A page whose template holds `bytes`. */
function pageOf(bytes: number) {
  const gzip = new FakeGzip();
  const page = { status: 200, template: { parts: [], slots: [], fixedLength: bytes }, gzip, headers: {} };
  return page as unknown as CachedPage & { gzip: FakeGzip };
}

/** A render that gives a page of `bytes`, and how many times it ran. */
function countedRender(bytes = 100) {
  const counted = {
    renders: 0,
    render: async () => {
      counted.renders++;
      return pageOf(bytes);
    },
  };
  return counted;
}

describe('canonical page paths', () => {
  it.each([
    ['/', '/'],
    ['/docs', '/docs'],
    ['/docs/', '/docs'],
    ['/docs/first-request', '/docs/first-request'],
    ['/docs/%66irst-request', '/docs/first-request'],
    ['/docs/first%2drequest', '/docs/first-request'],
    ['/docs//first-request', '/docs/first-request'],
    ['/docs///', '/docs'],
    ['/docs/first-request/', '/docs/first-request'],
    ['/docs/api/%2E%2E/keys', '/docs/keys'],
    ['/docs/a%2fb', '/docs/a%2Fb'],
    ['/docs/caf%c3%a9', '/docs/caf%C3%A9'],
  ])('%s is %s', (path, canonical) => {
    expect(canonicalPagePath(new URL(path, 'http://keyway.invalid').pathname)).toBe(canonical);
  });
});

describe('PageCache', () => {
  it('keeps at most its bound, dropping the least recently used page', async () => {
    const cache = new PageCache({ maxBytes: 300 });
    const counted = countedRender();
    const { render } = counted;
    for (const path of ['/a', '/b', '/c']) await cache.get(path, 'curl', render);
    await cache.get('/a', 'curl', render); // /a is now the most recently used
    await cache.get('/d', 'curl', render); // so /b goes
    expect(counted.renders).toBe(4);
    await cache.get('/a', 'curl', render);
    await cache.get('/c', 'curl', render);
    expect(counted.renders).toBe(4);
    await cache.get('/b', 'curl', render);
    expect(counted.renders).toBe(5);
    for (let i = 0; i < 5000; i++) await cache.get(`/page-${i}`, 'curl', render);
    // Only the last three are held: they come from the cache, the one before is rendered again.
    const before = counted.renders;
    for (const i of [4997, 4998, 4999]) await cache.get(`/page-${i}`, 'curl', render);
    expect(counted.renders).toBe(before);
    await cache.get('/page-4996', 'curl', render);
    expect(counted.renders).toBe(before + 1);
  });

  it('keeps nothing for a path that rendered no template, or failed', async () => {
    const cache = new PageCache({ maxBytes: 200 });
    const counted = countedRender();
    await cache.get('/kept', 'curl', counted.render);
    for (let i = 0; i < 100; i++) await cache.get(`/missing-${i}`, 'curl', async () => null);
    await expect(
      cache.get('/broken', 'curl', () => Promise.reject(new Error('render failed'))),
    ).rejects.toThrow('render failed');
    // Neither took a place: the one page held is still there, and both are asked for again.
    await cache.get('/kept', 'curl', counted.render);
    expect(counted.renders).toBe(1);
    await expect(cache.get('/missing-0', 'curl', counted.render)).resolves.toMatchObject({ status: 200 });
    await expect(cache.get('/broken', 'curl', counted.render)).resolves.toMatchObject({ status: 200 });
  });

  it('stays within its bytes under many distinct pages of different sizes', async () => {
    const cache = new PageCache({ maxBytes: 10_000 });
    for (let i = 0; i < 2000; i++) {
      await cache.get(`/page-${i}`, i % 2 ? 'curl' : 'python', async () => pageOf(500 + (i % 13) * 100));
      expect(cache.bytes).toBeLessThanOrEqual(10_000);
    }
    expect(cache.bytes).toBeGreaterThan(8_000);
  });

  it('counts gzip streams compiled after a page was kept, dropping older pages for them', async () => {
    const cache = new PageCache({ maxBytes: 1000 });
    const first = countedRender(400);
    const second = countedRender(400);
    await cache.get('/first', 'curl', first.render);
    const page = (await cache.get('/second', 'curl', second.render)) as CachedPage & { gzip: FakeGzip };
    page.gzip.grow(300);
    expect(cache.bytes).toBe(700);
    await cache.get('/first', 'curl', first.render);
    expect(first.renders).toBe(2);
    // A page whose streams outgrow the whole bound is not kept either.
    page.gzip.grow(1000);
    expect(cache.bytes).toBeLessThanOrEqual(1000);
    await cache.get('/second', 'curl', second.render);
    expect(second.renders).toBe(2);
  });

  it('serves a page larger than the whole bound without keeping it or dropping others', async () => {
    const cache = new PageCache({ maxBytes: 1000 });
    const small = countedRender(300);
    const huge = countedRender(5000);
    await cache.get('/small', 'curl', small.render);
    await expect(cache.get('/huge', 'curl', huge.render)).resolves.toMatchObject({ status: 200 });
    await cache.get('/huge', 'curl', huge.render);
    expect(huge.renders).toBe(2);
    await cache.get('/small', 'curl', small.render);
    expect(small.renders).toBe(1);
    expect(cache.bytes).toBe(300);
  });

  it('also bounds the number of pages when PAGE_CACHE_ENTRIES is set', async () => {
    const cache = new PageCache({ maxBytes: 1_000_000, maxEntries: 2 });
    const counted = countedRender();
    for (const path of ['/a', '/b', '/c']) await cache.get(path, 'curl', counted.render);
    await cache.get('/a', 'curl', counted.render);
    expect(counted.renders).toBe(4);
    expect(cache.bytes).toBe(200);
  });

  it('renders a page once for readers who ask together', async () => {
    const cache = new PageCache({ maxBytes: 1000 });
    const counted = countedRender();
    await Promise.all(Array.from({ length: 20 }, () => cache.get('/a', 'curl', counted.render)));
    expect(counted.renders).toBe(1);
  });
});
