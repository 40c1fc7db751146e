import { describe, expect, it } from 'vitest';
import {
  MAX_RENDERED_ORIGINS,
  renderedOrigins,
  servedDocument,
} from '../../src/lib/openapi/served-document.ts';

describe('the served /openapi.json, per origin', () => {
  it('keeps a bounded number of origins however many Host headers arrive, and serves the same bytes again', () => {
    const first = servedDocument('http://first.example');
    expect(servedDocument('http://first.example')).toBe(first);
    for (let i = 0; i < MAX_RENDERED_ORIGINS * 5; i++) servedDocument(`http://host${i}.example`);
    expect(renderedOrigins()).toBeLessThanOrEqual(MAX_RENDERED_ORIGINS);
    // Dropped, then rendered again: the same document, with the same ETag.
    expect(servedDocument('http://first.example')).toEqual(first);
    expect(JSON.parse(first.body).servers[0].url).toBe('http://first.example');
  });
});
