import { ValidationFailed } from '../errors/domain-error';
import { bindTo, encodeCursor, equalities, isDateKey, isInstantKey, isTextKey, Keyset, PageOf } from './pagination';

const BY_NAME = new Keyset('ASC', [['name', 'r.name', 'text'], ['id', 'r.id', 'uuid']]);
const NEWEST = new Keyset('DESC', [['at', 'e.at', 'instant'], ['id', 'e.id', 'uuid']]);
const ID = '0b9f4a53-2a7e-4c43-9a52-3b1c2f7d9e10';

describe('Lists (docs/api.md): keyset pages', () => {
  it('orders by every column in one direction, the id last', () => {
    expect(BY_NAME.orderBy).toBe('r.name ASC, r.id ASC');
    expect(NEWEST.orderBy).toBe('e.at DESC, e.id DESC');
  });

  it('reads a cursor back into one row comparison, with bound and cast values', () => {
    const params: unknown[] = ['tenant'];
    const where = NEWEST.after(encodeCursor({ at: '2026-03-01T10:00:00.000Z', id: ID }), bindTo(params));
    expect(where).toBe('(e.at, e.id) < ($2::timestamptz, $3::uuid)');
    expect(params).toEqual(['tenant', '2026-03-01T10:00:00.000Z', ID]);
    expect(BY_NAME.after(undefined, bindTo([]))).toBe('TRUE');
  });

  it('binds one equality per filter given, in order, and none for a filter left out', () => {
    const params: unknown[] = ['tenant'];
    const where = equalities(bindTo(params), [['kind', 'equipment'], ['status', undefined], ['contractor_id', ''], ['r.id', ID]]);
    expect(where).toEqual(['kind = $2', 'r.id = $3']);
    expect(params).toEqual(['tenant', 'equipment', ID]);
  });

  it('refuses a cursor of another list, or with values PostgreSQL would refuse, as a 400 on the field cursor', () => {
    for (const cursor of [
      'garbage', encodeCursor({ seq: 3 }), encodeCursor({ name: 'PACS', id: 'x' }), encodeCursor({ name: 'PA\u0000CS', id: ID }),
      encodeCursor({ name: 7, id: ID }), Buffer.from('[1,2]').toString('base64url')]) {
      const error = (() => { try { BY_NAME.after(cursor, bindTo([])); } catch (e) { return e; } })();
      expect(error).toBeInstanceOf(ValidationFailed);
      expect((error as ValidationFailed).status).toBe(400);
    }
    expect(() => NEWEST.after(encodeCursor({ at: '2026', id: ID }), bindTo([]))).toThrow(ValidationFailed);
    expect(() => NEWEST.after(encodeCursor({ at: 'March 7, 2026', id: ID }), bindTo([]))).toThrow(ValidationFailed);
  });

  it('builds the next cursor from the last item kept, dates as ISO instants, and none on the last page', () => {
    const rows = [1, 2, 3].map((n) => ({ at: new Date(Date.UTC(2026, 0, n)), id: ID, n }));
    const page = NEWEST.page(rows, 2, (r) => r.n, (r) => ({ at: r.at, id: r.id }));
    expect(page.items).toEqual([1, 2]);
    expect(JSON.parse(Buffer.from(page.nextCursor!, 'base64url').toString())).toEqual({ at: '2026-01-02T00:00:00.000Z', id: ID });
    expect(NEWEST.page(rows, 3, (r) => r.n, (r) => ({ at: r.at, id: r.id }))).toEqual({ items: [1, 2, 3], nextCursor: null });
  });

  it('checks key values strictly', () => {
    expect(isInstantKey('2026-03-01T10:00:00.123Z')).toBe(true);
    expect(isInstantKey('2026-03-01')).toBe(false);
    expect(isDateKey('2026-02-28')).toBe(true);
    expect(isDateKey('2026-02-30')).toBe(false);
    expect(isDateKey('2026-13-01')).toBe(false);
    expect(isTextKey('x'.repeat(1001))).toBe(false);
  });

  it('names one OpenAPI page class per item type after it', () => {
    class ResourceView {}
    expect(PageOf(ResourceView).name).toBe('ResourcePage');
    expect(PageOf(ResourceView)).toBe(PageOf(ResourceView));
  });
});
