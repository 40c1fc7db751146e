import { describe, expect, it } from 'vitest';
import { ByteLru } from '../../src/lib/byte-lru.ts';

describe('ByteLru', () => {
  it('stays within its bytes under many distinct keys, keeping the most recently used', () => {
    const cache = new ByteLru<string, number>(1000);
    for (let i = 0; i < 10_000; i++) {
      cache.set(`key-${i}`, i, 100 + (i % 7));
      expect(cache.bytes).toBeLessThanOrEqual(1000);
    }
    expect(cache.get('key-9999')).toBe(9999);
    expect(cache.get('key-0')).toBeUndefined();
  });

  it('drops the least recently used first, a read counting as a use', () => {
    const cache = new ByteLru<string, string>(300);
    cache.set('a', 'A', 100);
    cache.set('b', 'B', 100);
    cache.set('c', 'C', 100);
    expect(cache.get('a')).toBe('A');
    cache.set('d', 'D', 100);
    expect(cache.get('b')).toBeUndefined();
    expect([cache.get('a'), cache.get('c'), cache.get('d')]).toEqual(['A', 'C', 'D']);
    expect(cache.bytes).toBe(300);
  });

  it('does not keep a value larger than the whole bound, and pushes nothing out for it', () => {
    const cache = new ByteLru<string, string>(300);
    cache.set('a', 'A', 100);
    expect(cache.set('huge', 'H', 301)).toBe(false);
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.get('a')).toBe('A');
    expect(cache.bytes).toBe(100);
    // A kept key given an over-bound value loses its old one too, rather than keep a stale one.
    expect(cache.set('a', 'A2', 400)).toBe(false);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.bytes).toBe(0);
  });

  it('counts a value that grows, dropping others or, past the bound, itself', () => {
    const cache = new ByteLru<string, string>(300);
    cache.set('a', 'A', 100);
    cache.set('b', 'B', 100);
    cache.resize('a', 200);
    expect(cache.bytes).toBe(300);
    cache.resize('b', 150);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.bytes).toBe(150);
    cache.resize('b', 1000);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.bytes).toBe(0);
    cache.resize('gone', 10);
    expect(cache.size).toBe(0);
  });

  it('bounds the count too when asked', () => {
    const cache = new ByteLru<number, number>(1_000_000, 3);
    for (let i = 0; i < 100; i++) cache.set(i, i, 1);
    expect(cache.size).toBe(3);
    expect(cache.get(99)).toBe(99);
    expect(cache.get(96)).toBeUndefined();
  });
});
