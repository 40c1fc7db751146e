import { afterEach, describe, expect, it } from 'vitest';
import {
  originFile,
  originFileBytes,
  resetOriginFiles,
} from '../../src/lib/public-files/origin-file-cache.ts';
import { servedDocument } from '../../src/lib/openapi/served-document.ts';

const BOUND = 64 * 1024;

function withBound(bytes: number): void {
  process.env.ORIGIN_FILE_CACHE_BYTES = String(bytes);
  resetOriginFiles();
}

afterEach(() => {
  delete process.env.ORIGIN_FILE_CACHE_BYTES;
  resetOriginFiles();
});

describe('files made per origin', () => {
  it('stay within ORIGIN_FILE_CACHE_BYTES under many Host-chosen origins', () => {
    withBound(BOUND);
    let made = 0;
    for (let i = 0; i < 1000; i++) {
      originFile('llms.txt', `http://host-${i}.example`, () => {
        made++;
        return Buffer.alloc(3000, i % 256);
      });
      expect(originFileBytes()).toBeLessThanOrEqual(BOUND);
    }
    expect(made).toBe(1000);
    // The latest is kept: asking again makes nothing.
    originFile('llms.txt', 'http://host-999.example', () => {
      made++;
      return Buffer.alloc(1);
    });
    expect(made).toBe(1000);
  });

  it('make a file larger than the whole bound for each request, keeping the rest', () => {
    withBound(BOUND);
    originFile('small', 'http://a.example', () => 'small');
    let made = 0;
    const huge = () => {
      made++;
      return 'x'.repeat(BOUND + 1);
    };
    expect(originFile('huge', 'http://a.example', huge).body.length).toBe(BOUND + 1);
    originFile('huge', 'http://a.example', huge);
    expect(made).toBe(2);
    expect(originFileBytes()).toBe(5);
  });

  it('hold the OpenAPI document of each origin in the same bound', () => {
    withBound(BOUND * 8);
    const first = servedDocument('http://first.example');
    expect(servedDocument('http://first.example')).toBe(first);
    for (let i = 0; i < 50; i++) servedDocument(`http://host${i}.example`);
    expect(originFileBytes()).toBeLessThanOrEqual(BOUND * 8);
    // Dropped, then rendered again: the same document, with the same ETag.
    expect(servedDocument('http://first.example')).toEqual(first);
    expect(JSON.parse(first.body).servers[0].url).toBe('http://first.example');
  });
});
