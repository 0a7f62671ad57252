import { Injectable } from '@nestjs/common';
import { Db, isUniqueViolation } from '../database/db';

/** The first answer to a request with an Idempotency-Key (`statusCode` null while it still runs). */
export interface StoredAnswer {
  requestHash: string;
  statusCode: number | null;
  responseEnc: string | null;
}

/** Only this class touches `idempotency_keys`. */
@Injectable()
export class IdempotencyRepository {
  constructor(private readonly db: Db) {}

  async forgetOlder(caller: string, key: string, before: Date): Promise<void> {
    await this.db.query(`DELETE FROM idempotency_keys WHERE caller = $1 AND key = $2 AND created_at < $3`, [caller, key, before]);
  }

  async find(caller: string, key: string): Promise<StoredAnswer | undefined> {
    const [row] = await this.db.query<{ request_hash: string; status_code: number | null; response_enc: string | null }>(
      `SELECT request_hash, status_code, response_enc FROM idempotency_keys WHERE caller = $1 AND key = $2`, [caller, key],
    );
    return row && { requestHash: row.request_hash, statusCode: row.status_code, responseEnc: row.response_enc };
  }

  /** False when another request holds the key already (a race lost to a concurrent insert). */
  async claim(caller: string, key: string, requestHash: string, at: Date): Promise<boolean> {
    try {
      await this.db.query(
        `INSERT INTO idempotency_keys (caller, key, request_hash, created_at) VALUES ($1, $2, $3, $4)`, [caller, key, requestHash, at],
      );
      return true;
    } catch (error) {
      if (isUniqueViolation(error, 'idempotency_keys_pkey')) return false;
      throw error;
    }
  }

  async complete(caller: string, key: string, answer: { statusCode: number; responseEnc: string }, at: Date): Promise<void> {
    await this.db.query(
      `UPDATE idempotency_keys SET status_code = $3, response_enc = $4, completed_at = $5 WHERE caller = $1 AND key = $2`,
      [caller, key, answer.statusCode, answer.responseEnc, at],
    );
  }

  async release(caller: string, key: string): Promise<void> {
    await this.db.query(`DELETE FROM idempotency_keys WHERE caller = $1 AND key = $2`, [caller, key]);
  }
}
