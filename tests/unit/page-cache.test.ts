import { describe, expect, it } from 'vitest';
import { PageCache, type CachedPage } from '../../src/server/page-cache.ts';
import { canonicalPagePath } from '../../src/server/page-path.ts';

/** A render that gives a page, and how many times it ran. */
function countedRender() {
  const counted = {
    renders: 0,
    render: async () => {
      counted.renders++;
      return { status: 200 } as CachedPage;
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
    const cache = new PageCache(3);
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
    const cache = new PageCache(2);
    const counted = countedRender();
    await cache.get('/kept', 'curl', counted.render);
    for (let i = 0; i < 100; i++) await cache.get(`/missing-${i}`, 'curl', async () => null);
    await expect(
      cache.get('/broken', 'curl', () => Promise.reject(new Error('render failed'))),
    ).rejects.toThrow('render failed');
    // Neither took a place: the one page held is still there, and both are asked for again.
    await cache.get('/kept', 'curl', counted.render);
    expect(counted.renders).toBe(1);
    await expect(cache.get('/missing-0', 'curl', counted.render)).resolves.toEqual({ status: 200 });
    await expect(cache.get('/broken', 'curl', counted.render)).resolves.toEqual({ status: 200 });
  });

  it('renders a page once for readers who ask together', async () => {
    const cache = new PageCache(10);
    const counted = countedRender();
    await Promise.all(Array.from({ length: 20 }, () => cache.get('/a', 'curl', counted.render)));
    expect(counted.renders).toBe(1);
  });
});
