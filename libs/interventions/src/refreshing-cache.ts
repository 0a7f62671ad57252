import { LRUCache } from 'lru-cache';

/**
 * A TTL cache (lru-cache) of computed values: concurrent callers share one computation, a failure is not kept, and an
 * entry still asked for in the last fifth of its life is recomputed in the background so that callers do not wait.
 */
export class RefreshingCache<V> {
  private readonly cache?: LRUCache<string, { value: V }, () => Promise<V>>;

  /** `ttlMs` 0 turns caching off; `perf` replaces the monotonic clock (specs). */
  constructor(private readonly ttlMs: number, options: { max?: number; perf?: { now(): number } } = {}) {
    if (ttlMs <= 0) return;
    const time = options.perf ? { perf: options.perf, ttlResolution: 0 } : {};
    this.cache = new LRUCache<string, { value: V }, () => Promise<V>>({
      max: options.max ?? 10_000, ttl: ttlMs, noDeleteOnFetchRejection: true, ...time,
      // clear() must not answer undefined to callers waiting on a computation started before it.
      ignoreFetchAbort: true,
      fetchMethod: async (_key, _stale, { context }) => ({ value: await context() }),
    });
  }

  get(key: string, compute: () => Promise<V>): Promise<V> {
    if (!this.cache) return compute();
    const left = this.cache.getRemainingTTL(key);
    const young = left > 0 && left !== Infinity;
    const refresh = young && left < this.ttlMs / 5;
    return this.cache.fetch(key, { context: compute, allowStale: young, forceRefresh: refresh }).then((e) => e!.value);
  }

  clear(): void {
    this.cache?.clear();
  }
}
