import { describe, expect, it } from 'vitest';
import { VersionedCache, versionedKey } from './cache.ts';

describe('the versioned cache', () => {
  it('computes an entry once and gives it back until its key changes', async () => {
    const cache = new VersionedCache();
    let computed = 0;
    const compute = async () => ({ n: ++computed });
    expect(await cache.get('a', compute)).toEqual({ n: 1 });
    expect(await cache.get('a', compute)).toEqual({ n: 1 });
    expect(await cache.get('b', compute)).toEqual({ n: 2 });
    expect({ hits: cache.hits, misses: cache.misses }).toEqual({ hits: 1, misses: 2 });
  });

  it('keeps at most its bound, dropping the least recently used first', async () => {
    const cache = new VersionedCache(2);
    await cache.get('a', () => 'a');
    await cache.get('b', () => 'b');
    await cache.get('a', () => 'a again'); // a is now the most recently used
    await cache.get('c', () => 'c'); // b goes
    expect(cache.size).toBe(2);
    expect(await cache.get('a', () => 'recomputed a')).toBe('a');
    expect(await cache.get('b', () => 'recomputed b')).toBe('recomputed b');
  });

  it('keys an answer by organisation, data version, who may see drafts, and the question', () => {
    expect(versionedKey('scorecard', 'rj1', 42, false, { periods: 12 })).toBe('scorecard|rj1|42|published|{"periods":12}');
    expect(versionedKey('scorecard', 'rj1', 42, true, { periods: 12 })).not.toBe(versionedKey('scorecard', 'rj1', 42, false, { periods: 12 }));
    expect(versionedKey('scorecard', 'rj1', 43, false, { periods: 12 })).not.toBe(versionedKey('scorecard', 'rj1', 42, false, { periods: 12 }));
  });
});
