import { Injectable } from '@nestjs/common';
import { Db } from '@app/core';
import { IDENTITY_OF } from '../users/identity-sql';

/** Only this class touches recovery_codes (stored as keyed hashes, single use); they are the identity's (R-MEMB), named by a membership. */
@Injectable()
export class RecoveryCodesRepository {
  constructor(private readonly db: Db) {}

  /** Spends the person's unused code of this hash; false when there is none. */
  async use(userId: string, codeHash: string, at: Date): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE recovery_codes SET used_at = $3 WHERE identity_id = ${IDENTITY_OF} AND code_hash = $2 AND used_at IS NULL RETURNING id`,
      [userId, codeHash, at],
    );
    return rows.length === 1;
  }

  /** Deletes every code of the person; answers how many. */
  async deleteAllOf(userId: string): Promise<number> {
    return (await this.db.query(`DELETE FROM recovery_codes WHERE identity_id = ${IDENTITY_OF} RETURNING id`, [userId])).length;
  }

  async add(userId: string, codeHashes: string[]): Promise<void> {
    for (const hash of codeHashes) {
      await this.db.query(`INSERT INTO recovery_codes (identity_id, code_hash) VALUES (${IDENTITY_OF}, $2)`, [userId, hash]);
    }
  }
}
