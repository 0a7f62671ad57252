import { Type as Class } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { CoreErrors } from '../errors';

export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @Type(() => Number) @IsInt() @Min(1) @Max(200) @IsOptional()
  limit = 50;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page' })
  @IsString() @IsOptional()
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Keyset cursors: an opaque base64url of the sort key of the last item. */
export function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/**
 * Reads a cursor back. A cursor comes from the client, so it is checked like any input: every field
 * must be there as a plain string or finite number, and `valid` (the list's own key types) must
 * accept it; otherwise it is a 400, never a value handed to the database.
 */
export function decodeCursor<T extends Record<string, unknown>>(
  cursor: string | undefined, fields: (keyof T)[], valid: (value: T) => boolean = () => true,
): T | null {
  if (!cursor) return null;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)
      && fields.every((f) => f in value && isPlainKey(value[f])) && valid(value as T)) return value as T;
  } catch {
    // fall through to the validation error
  }
  throw CoreErrors.invalid('CURSOR_INVALID', 'cursor');
}

function isPlainKey(v: unknown): boolean {
  return typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuidKey = (v: unknown): boolean => typeof v === 'string' && UUID.test(v);
export const isSeqKey = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
/** An ISO 8601 UTC instant as `toISOString()` writes it (PostgreSQL reads it back exactly). */
export const isInstantKey = (v: unknown): boolean => typeof v === 'string' && INSTANT.test(v) && !Number.isNaN(Date.parse(v));
/** A calendar day YYYY-MM-DD that exists. */
export const isDateKey = (v: unknown): boolean => {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const day = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(v);
};
/** Text PostgreSQL accepts (no NUL byte), of a sane length. */
export const isTextKey = (v: unknown): boolean => typeof v === 'string' && v.length <= 1000 && !v.includes('\u0000');

/** Fetch limit + 1 rows, then call this: it trims and builds the next cursor. */
export function toPage<R, T>(rows: R[], limit: number, map: (r: R) => T, key: (r: R) => Record<string, unknown>): Page<T> {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  return { items: items.map(map), nextCursor: more ? encodeCursor(key(items[items.length - 1])) : null };
}

/** The kind of one sort column: how a cursor's value is checked, and the SQL type it is cast to. */
export type KeyType = 'uuid' | 'instant' | 'date' | 'text' | 'int';
const KEY_TYPES: Record<KeyType, { valid: (v: unknown) => boolean; sql: string }> = {
  uuid: { valid: isUuidKey, sql: 'uuid' },
  instant: { valid: isInstantKey, sql: 'timestamptz' },
  date: { valid: isDateKey, sql: 'date' },
  text: { valid: isTextKey, sql: 'text' },
  int: { valid: isSeqKey, sql: 'bigint' },
};

/** One sort column: its name in the cursor, its SQL expression, its kind. */
export type KeyColumn<K extends string> = [key: K, sql: string, type: KeyType];

/** What `Keyset.applyTo` needs of a TypeORM SelectQueryBuilder (core stays free of its types here). */
export interface KeysetQuery {
  andWhere(where: string): unknown;
  setParameter(name: string, value: unknown): unknown;
  addOrderBy(sort: string, order: 'ASC' | 'DESC'): unknown;
  limit(limit: number): unknown;
}

/** Something that takes a value and answers the placeholder standing for it in the SQL. */
export type Bind = (value: unknown) => string;

/** A binder for raw SQL with positional parameters: each value is appended to `params`. */
export const bindTo = (params: unknown[]): Bind => (value) => `$${params.push(value)}`;

/** `column = $n` for each [column, value] whose value is given (a filter left out: undefined, null or empty), in order. */
export const equalities = (bind: Bind, columns: [string, unknown][]): string[] =>
  columns.filter(([, value]) => value).map(([column, value]) => `${column} = ${bind(value)}`);

/**
 * The keyset order of one list (docs/api.md "Lists"): columns ending with a unique one, one direction, so "after the
 * last item" is one row comparison an index serves. A cursor not of this list's key types is a 400, never SQL.
 */
export class Keyset<K extends string> {
  constructor(readonly direction: 'ASC' | 'DESC', readonly columns: KeyColumn<K>[]) {}

  /** `a DESC, b DESC, id DESC` */
  get orderBy(): string {
    return this.columns.map(([, sql]) => `${sql} ${this.direction}`).join(', ');
  }

  /** The condition selecting the rows after the cursor, or `TRUE` without one. */
  after(cursor: string | undefined, bind: Bind): string {
    const key = decodeCursor<Record<K, unknown>>(cursor, this.columns.map(([k]) => k),
      (c) => this.columns.every(([k, , type]) => KEY_TYPES[type].valid(c[k])));
    if (!key) return 'TRUE';
    const columns = this.columns.map(([, sql]) => sql).join(', ');
    const values = this.columns.map(([k, , type]) => `${bind(key[k])}::${KEY_TYPES[type].sql}`).join(', ');
    return `(${columns}) ${this.direction === 'ASC' ? '>' : '<'} (${values})`;
  }

  /** The same for a TypeORM query builder: the condition, the order and `limit + 1` rows. */
  applyTo<Q extends KeysetQuery>(q: Q, page: { limit: number; cursor?: string }): Q {
    let n = 0;
    q.andWhere(this.after(page.cursor, (value) => {
      const name = `after${n++}`;
      q.setParameter(name, value);
      return `:${name}`;
    }));
    for (const [, sql] of this.columns) q.addOrderBy(sql, this.direction);
    q.limit(page.limit + 1);
    return q;
  }

  /** `toPage` with this list's key read from the last row (dates written as ISO instants). */
  page<R, T>(rows: R[], limit: number, map: (r: R) => T, key: (r: R) => Record<K, unknown>): Page<T> {
    return toPage(rows, limit, map, (r) => {
      const k = key(r);
      const value = (name: K) => (k[name] instanceof Date ? (k[name] as Date).toISOString() : k[name]);
      return Object.fromEntries(this.columns.map(([name]) => [name, value(name)]));
    });
  }
}

const pageTypes = new Map<Class<unknown>, Class<Page<unknown>>>();

/**
 * The OpenAPI shape of a page of `item` (`{items: [item], nextCursor}`), one class per item type,
 * named after it (`AccountView` -> `AccountPage`): `@ApiOkResponse({ type: PageOf(AccountView) })`.
 */
export function PageOf<T>(item: Class<T>): Class<Page<T>> {
  let page = pageTypes.get(item);
  if (!page) {
    class Paged {
      items: T[];
      nextCursor: string | null;
    }
    ApiProperty({ type: [item] })(Paged.prototype, 'items');
    ApiProperty({ nullable: true, type: String, description: 'Pass it as `cursor` for the next page; null on the last page' })(
      Paged.prototype, 'nextCursor',
    );
    Object.defineProperty(Paged, 'name', { value: `${item.name.replace(/View$/, '')}Page` });
    page = Paged;
    pageTypes.set(item, page);
  }
  return page as Class<Page<T>>;
}
