import { LRUCache } from 'lru-cache';

/**
 * A TTL cache (lru-cache) of computed values: concurrent callers share one computation, a failure is not kept, and an
 * entry still asked for in the last fifth of its life is recomputed in the background so that callers do not wait.
 */
export class RefreshingCache<V> {
  private readonly cache?: LRUCache<string, { value: V }, () => Promise<V>>;

  /** `ttlMs` 0 turns caching off. */
  constructor(private readonly ttlMs: number, max = 10_000) {
    if (ttlMs <= 0) return;
    this.cache = new LRUCache<string, { value: V }, () => Promise<V>>({
      max, ttl: ttlMs, noDeleteOnFetchRejection: true,
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
