import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { ValidationFailed } from '../errors/domain-error';

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
  throw new ValidationFailed('The cursor is not valid', [{ field: 'cursor', message: 'not a cursor from this list' }]);
}

function isPlainKey(v: unknown): boolean {
  return typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuidKey = (v: unknown): boolean => typeof v === 'string' && UUID.test(v);
export const isSeqKey = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

/** Fetch limit + 1 rows, then call this: it trims and builds the next cursor. */
export function toPage<R, T>(rows: R[], limit: number, map: (r: R) => T, key: (r: R) => Record<string, unknown>): Page<T> {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  return { items: items.map(map), nextCursor: more ? encodeCursor(key(items[items.length - 1])) : null };
}
