import { ConflictError, Noun, noun, statusWord } from '../errors/domain-error';
import type { Db } from './db';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * R-INT: locks one row (`SELECT ... FOR UPDATE`) inside the caller's transaction, before the check
 * that decides a state change, so parallel requests take turns and each later one sees the earlier
 * one's result. Answers whether the row exists. `table` is a constant of the calling code.
 */
export async function lockRow(db: Db, table: string, id: string): Promise<boolean> {
  if (!IDENTIFIER.test(table)) throw new Error(`lockRow: not a table name: ${table}`);
  if (!db.inTransaction) throw new Error(`lockRow(${table}) outside a transaction locks nothing`);
  const rows = await db.query(`SELECT 1 FROM ${table} WHERE id = $1 FOR UPDATE`, [id]);
  return rows.length > 0;
}

/**
 * R-INT: the allowed transitions of one lifecycle, checked by every method that changes its status.
 * A refused transition is a 409 carrying the current status, so the loser of a race learns the winner's result.
 */
export class Lifecycle<S extends string, A extends string> {
  constructor(
    private readonly what: Noun,
    private readonly code: string,
    private readonly allowed: Readonly<Record<A, readonly S[]>>,
  ) {}

  can(current: S, action: A): boolean {
    return this.allowed[action].includes(current);
  }

  /** Throws 409 `code` with `currentStatus` unless `action` may be taken from `current`. */
  check(current: S, action: A): void {
    if (!this.can(current, action)) {
      const text = { catalogue: 'core', key: 'TRANSITION_REFUSED', params: { thing: noun(this.what), status: statusWord(current) } };
      throw new ConflictError(this.code, text, { currentStatus: current, action });
    }
  }
}
