import type { TestContext } from '@app/testing';
import type { Response } from 'supertest';

export type Auth = Record<string, string>;
export type Item = Record<string, unknown> & { id: string };

/** A 4xx/5xx answered as problem+json, naming `field` among its errors when given. */
export function expectProblem(res: Response, status: number, field?: string): void {
  expect({ status: res.status, body: res.body }).toMatchObject({ status });
  expect(res.headers['content-type']).toContain('application/problem+json');
  if (field) expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
}

/**
 * docs/api.md "Lists": walks a list `limit` items at a time. Every page but the last is full, the last
 * says nextCursor null, no item comes twice, and the pages put together are the one-page answer.
 */
export function walker(ctx: TestContext) {
  return async function walk<T extends Item>(path: string, auth: Auth, limit: number, query: Record<string, string> = {}): Promise<T[]> {
    const whole: Response = await ctx.http.get(path).query({ ...query, limit: 200 }).set(auth).expect(200);
    expect(whole.body.nextCursor).toBeNull();
    const items: T[] = [];
    let cursor: string | null = null;
    for (let page = 0; ; page++) {
      expect(page).toBeLessThan(100);
      const res: Response = await ctx.http.get(path).query(cursor ? { ...query, limit, cursor } : { ...query, limit }).set(auth).expect(200);
      expect(Object.keys(res.body).sort()).toEqual(['items', 'nextCursor']);
      items.push(...res.body.items);
      cursor = res.body.nextCursor;
      if (!cursor) {
        expect(res.body.items.length).toBeLessThanOrEqual(limit);
        break;
      }
      expect(res.body.items).toHaveLength(limit);
    }
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    expect(items.map((i) => i.id)).toEqual(whole.body.items.map((i: Item) => i.id));
    return items;
  };
}

/** `items` in the order of `key` (then the id), ascending or descending; strings compare as PostgreSQL's C-like order for ASCII. */
export function expectOrdered(items: Item[], key: (i: Item) => (string | number)[], direction: 'asc' | 'desc'): void {
  const sorted = [...items].sort((a, b) => {
    const ka = [...key(a), a.id];
    const kb = [...key(b), b.id];
    for (let i = 0; i < ka.length; i++) {
      if (ka[i] !== kb[i]) return (ka[i] < kb[i] ? -1 : 1) * (direction === 'asc' ? 1 : -1);
    }
    return 0;
  });
  expect(items.map((i) => i.id)).toEqual(sorted.map((i) => i.id));
}
