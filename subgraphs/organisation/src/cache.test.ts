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

  it('counts a large entry as several against its bound', async () => {
    const cache = new VersionedCache(10);
    await cache.get('scorecard a', () => 'a');
    await cache.get('scorecard b', () => 'b');
    await cache.get(
      'facts page',
      () => Array(800).fill('row'),
      (rows) => rows.length / 100,
    ); // weighs 8
    expect({ size: cache.size, weight: cache.weight }).toEqual({ size: 3, weight: 10 });
    await cache.get('scorecard c', () => 'c'); // over the bound: a goes, the oldest
    expect({ size: cache.size, weight: cache.weight }).toEqual({ size: 3, weight: 10 });
    expect(await cache.get('scorecard a', () => 'recomputed a')).toBe('recomputed a');
    // An entry heavier than the whole bound is kept alone until the next one comes.
    await cache.get(
      'huge',
      () => Array(5000).fill('row'),
      (rows) => rows.length / 100,
    );
    expect(cache.size).toBe(1);
    await cache.get('scorecard d', () => 'd');
    expect({ size: cache.size, weight: cache.weight }).toEqual({ size: 1, weight: 1 });
  });

  it('keys an answer by organisation, data version, who may see drafts, and the question', () => {
    expect(versionedKey('scorecard', 'rj1', 42, false, { periods: 12 })).toBe(
      'scorecard|rj1|42|published|{"periods":12}',
    );
    expect(versionedKey('scorecard', 'rj1', 42, true, { periods: 12 })).not.toBe(
      versionedKey('scorecard', 'rj1', 42, false, { periods: 12 }),
    );
    expect(versionedKey('scorecard', 'rj1', 43, false, { periods: 12 })).not.toBe(
      versionedKey('scorecard', 'rj1', 42, false, { periods: 12 }),
    );
  });
});
