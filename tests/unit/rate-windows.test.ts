import { describe, expect, it } from 'vitest';
import { MEMORY_WINDOW_KEYS, MemoryWindows, type RateWindows } from '../../src/sandbox/rate-limit.ts';

/** A fallback that records what it was asked to count, and counts like a table would. */
function recordingFallback() {
  const asked: Array<[string, number]> = [];
  const counts = new Map<string, number>();
  const fallback: RateWindows = {
    count(keyId, now) {
      asked.push([keyId, now]);
      const window = `${keyId}@${Math.floor(now / 1000)}`;
      const count = (counts.get(window) ?? 0) + 1;
      counts.set(window, count);
      return count;
    },
  };
  return { fallback, asked };
}

const SECOND = 1_700_000_000_000;

describe('rate windows kept in memory', () => {
  it("counts each key's requests in its one-second window, from one again in the next second", () => {
    const { fallback, asked } = recordingFallback();
    const windows = new MemoryWindows(fallback);
    expect([1, 2, 3].map(() => windows.count('key_a', SECOND + 10))).toEqual([1, 2, 3]);
    expect(windows.count('key_b', SECOND + 999)).toBe(1);
    expect(windows.count('key_a', SECOND + 999)).toBe(4);
    expect(windows.count('key_a', SECOND + 1000)).toBe(1);
    expect(windows.count('key_b', SECOND + 1500)).toBe(1);
    expect(asked).toEqual([]);
  });

  it('hands a request stamped with a second already past to the fallback, not to a fresh count', () => {
    const { fallback, asked } = recordingFallback();
    const windows = new MemoryWindows(fallback);
    windows.count('key_a', SECOND + 5000);
    windows.count('key_a', SECOND + 1000);
    expect(asked).toEqual([['key_a', SECOND + 1000]]);
    // The current second's count is not disturbed by it.
    expect(windows.count('key_a', SECOND + 5001)).toBe(2);
  });

  it('holds at most MEMORY_WINDOW_KEYS keys a second: a flood of new keys is counted by the fallback, and no key goes uncounted', () => {
    const { fallback, asked } = recordingFallback();
    const windows = new MemoryWindows(fallback);
    for (let i = 0; i < MEMORY_WINDOW_KEYS; i++) windows.count(`key_${i}`, SECOND);
    expect(asked).toEqual([]);
    // Past the bound: new keys go to the fallback, every time, and keep their own count there.
    expect(windows.count('key_flood', SECOND)).toBe(1);
    expect(windows.count('key_flood', SECOND)).toBe(2);
    expect(asked).toEqual([
      ['key_flood', SECOND],
      ['key_flood', SECOND],
    ]);
    // Keys already held keep counting in memory; a flood cannot reset them.
    expect(windows.count('key_0', SECOND)).toBe(2);
    // The next second starts with room again.
    expect(windows.count('key_flood', SECOND + 1000)).toBe(1);
    expect(asked).toHaveLength(2);
  });
});
