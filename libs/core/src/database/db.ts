import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { escapeLiteral } from 'pg';
import type { Connection, Pool, Submittable } from 'pg';
import { DataSource, EntityManager } from 'typeorm';

/**
 * The single way to reach the database. `transaction()` puts the transaction's manager in
 * async-local storage so that repositories, the audit trail and the outbox called inside it
 * all write in the same transaction without passing a manager around.
 */
@Injectable()
export class Db {
  private readonly current = new AsyncLocalStorage<{ em: EntityManager; committed: (() => void)[] }>();

  constructor(readonly dataSource: DataSource) {}

  get manager(): EntityManager {
    return this.current.getStore()?.em ?? this.dataSource.manager;
  }

  get inTransaction(): boolean {
    return this.current.getStore() !== undefined;
  }

  /**
   * R-INT: a transaction PostgreSQL aborts to break a deadlock or a serialization conflict is run again
   * from the start (its work only touches the database; after-commit hooks of the aborted attempt are dropped).
   */
  async transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    const open = this.current.getStore();
    if (open) return work(open.em);
    for (let attempt = 1; ; attempt++) {
      const committed: (() => void)[] = [];
      try {
        const result = await this.dataSource.transaction((em) => this.current.run({ em, committed }, () => work(em)));
        for (const hook of committed) hook();
        return result;
      } catch (error) {
        if (attempt >= TRANSACTION_ATTEMPTS || !isRetryableConflict(error)) throw error;
      }
    }
  }

  /**
   * R-INT runs `hook` once the current transaction has committed (at once outside one; never if it rolls
   * back). For caches: cleared before the commit, a read in the gap would cache the old state again.
   */
  afterCommit(hook: () => void): void {
    const open = this.current.getStore();
    if (open) open.committed.push(hook);
    else hook();
  }

  /** Raw SQL; always answers the rows (TypeORM alone answers [rows, count] for UPDATE ... RETURNING). */
  async query<T = unknown>(sql: string, params: unknown[] = []): Promise<T[]> {
    const open = this.manager.queryRunner;
    const runner = open ?? this.dataSource.createQueryRunner();
    try {
      return (await runner.query(sql, params, true)).records as T[];
    } finally {
      if (!open) await runner.release();
    }
  }

  /** One statement in a read-only transaction of its own on the pool, cancelled by PostgreSQL after `timeoutMs`. */
  async bounded<T = unknown>(sql: string, params: unknown[], timeoutMs: number): Promise<T[]> {
    const pool = (this.dataSource.driver as unknown as { master: Pool }).master;
    const client = await pool.connect();
    try {
      await client.query(`BEGIN READ ONLY; SET LOCAL statement_timeout = ${Math.floor(timeoutMs)}`);
      const { rows } = await client.query(sql, params);
      await client.query('COMMIT');
      client.release();
      return rows as T[];
    } catch (error) {
      client.release(error as Error); // a connection left in a failed transaction is not reused
      throw error;
    }
  }

  /** True when PostgreSQL answers a trivial statement (readiness probes). */
  async ping(): Promise<boolean> {
    return (await this.query('SELECT 1')).length === 1;
  }

  /**
   * Hot-path reads (access decisions, gateway keys): a named prepared statement (planned once per connection) on the
   * pool, never in the caller's transaction, which they must neither wait for nor join. `name`: unique per SQL text.
   */
  async prepared<T = unknown>(name: string, sql: string, params: unknown[] = []): Promise<T[]> {
    const pool = (this.dataSource.driver as unknown as { master: Pool }).master;
    return (await pool.query({ name, text: sql, values: params })).rows as T[];
  }

  /**
   * `COPY (...) TO STDOUT` on a pooled connection: each row reaches `onData` as bytes, a view into the driver's buffer
   * valid only during the call. COPY takes no bind parameters: `sql` carries its values as `literal`s.
   */
  async copyOut(sql: string, onData: (chunk: Buffer) => void): Promise<void> {
    const pool = (this.dataSource.driver as unknown as { master: Pool }).master;
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        let failed: unknown;
        const copy: Submittable & Record<string, unknown> = {
          submit: (connection: Connection) => connection.query(sql),
          handleCopyData: (msg: { chunk: Buffer }) => {
            if (failed === undefined) {
              try {
                onData(msg.chunk);
              } catch (error) {
                failed = error; // the rest of the COPY is read and dropped, then the error is answered
              }
            }
          },
          handleRowDescription: () => undefined,
          handleDataRow: () => undefined,
          handleCommandComplete: () => undefined,
          handleEmptyQuery: () => undefined,
          handleCopyInResponse: (connection: Connection & { sendCopyFail(message: string): void }) => {
            connection.sendCopyFail('copyOut reads, it does not write');
          },
          handleReadyForQuery: () => (failed === undefined ? resolve() : reject(failed)),
          handleError: (error: Error) => {
            // A backend error leaves the connection usable; a socket error does not (pg then marks the client unqueryable).
            if (!(error as { severity?: string }).severity) broken = error;
            reject(error);
          },
        };
        client.query(copy);
      });
    } finally {
      client.release(broken);
    }
  }
}

const TRANSACTION_ATTEMPTS = 4;


/**
 * R-INT: the method runs in one `db.transaction` of its service (a call inside an open one joins it), so its changes,
 * audit rows and events commit or roll back together. The service's `db` is public for it: `readonly db: Db`.
 */
export function Transactional() {
  return (_target: { readonly db: Db }, _key: string, descriptor: PropertyDescriptor): void => {
    const work = descriptor.value as (...args: unknown[]) => Promise<unknown>;
    descriptor.value = function (this: { readonly db: Db }, ...args: unknown[]) {
      return this.db.transaction(() => work.apply(this, args));
    };
  };
}
/** PostgreSQL's deadlock (40P01) or serialization failure (40001): the transaction may simply run again. */
export function isRetryableConflict(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string } } | null;
  const code = e?.driverError?.code ?? e?.code;
  return code === '40P01' || code === '40001';
}

/** A value as a quoted SQL literal (for `copyOut`, which takes no bind parameters). */
export function literal(value: string | Date): string {
  return escapeLiteral(value instanceof Date ? value.toISOString() : value);
}

/** True when `error` is PostgreSQL's unique violation of `constraint` (a race lost against a concurrent insert). */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } } | null;
  const pg = e?.driverError ?? e;
  return pg?.code === '23505' && pg?.constraint === constraint;
}

/**
 * An instant as PostgreSQL reads it from text (in a JSON parameter, say): ISO 8601, except that
 * years before 1 AD are written the way PostgreSQL writes them (`0002-01-01T00:00:00.000Z BC`),
 * and years after 9999 without their sign; it refuses JavaScript's `-000001-...` and `+275760-...`.
 */
export function pgInstant(date: Date): string {
  const iso = date.toISOString();
  const year = date.getUTCFullYear();
  if (year >= 1 && year <= 9999) return iso;
  const rest = iso.slice(iso.indexOf('-', 1));
  return year > 9999 ? `${year}${rest}` : `${String(1 - year).padStart(4, '0')}${rest} BC`;
}
