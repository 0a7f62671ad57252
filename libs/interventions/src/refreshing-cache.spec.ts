import { RefreshingCache } from './refreshing-cache';

/** A clock the spec moves by hand. */
const manual = () => {
  let now = 1_000;
  return { perf: { now: () => now }, advance: (ms: number) => void (now += ms) };
};
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('R-ART36 RefreshingCache (the access decision\'s short caches)', () => {
  it('R-ART36 concurrent askers share one computation, kept for the TTL', async () => {
    const cache = new RefreshingCache<number>(1000);
    let calls = 0;
    const compute = async () => ++calls;
    expect(await Promise.all([cache.get('k', compute), cache.get('k', compute), cache.get('k', compute)])).toEqual([1, 1, 1]);
    expect(await cache.get('k', compute)).toBe(1);
    expect(calls).toBe(1);
  });

  it('R-ART36 a TTL of 0 turns caching off', async () => {
    const cache = new RefreshingCache<number>(0);
    let calls = 0;
    await cache.get('k', async () => ++calls);
    expect(await cache.get('k', async () => ++calls)).toBe(2);
  });

  it('R-ART36 a failure is not kept: the next asker computes again', async () => {
    const cache = new RefreshingCache<number>(1000);
    await expect(cache.get('k', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cache.get('k', async () => 7)).toBe(7);
  });

  it('R-ART36 in the last fifth of its life an entry is recomputed in the background, the asker does not wait', async () => {
    const clock = manual();
    const cache = new RefreshingCache<string>(100, clock);
    await cache.get('k', async () => 'old');
    clock.advance(85);
    let release!: () => void;
    const slow = () => new Promise<string>((resolve) => (release = () => resolve('new')));
    expect(await cache.get('k', slow)).toBe('old');
    expect(await cache.get('k', slow)).toBe('old');
    release();
    await tick();
    expect(await cache.get('k', async () => 'other')).toBe('new');
  });

  it('R-ART36 an expired entry is computed again before answering', async () => {
    const clock = manual();
    const cache = new RefreshingCache<string>(30, clock);
    await cache.get('k', async () => 'old');
    clock.advance(45);
    expect(await cache.get('k', async () => 'new')).toBe('new');
  });

  it('R-INT clear() forgets every entry; a computation started before it still answers its askers', async () => {
    const cache = new RefreshingCache<string>(1000);
    await cache.get('a', async () => 'old');
    let release!: () => void;
    const pending = cache.get('b', () => new Promise<string>((resolve) => (release = () => resolve('before'))));
    cache.clear();
    release();
    expect(await pending).toBe('before');
    expect(await cache.get('a', async () => 'new')).toBe('new');
    expect(await cache.get('b', async () => 'after')).toBe('after');
  });
});
