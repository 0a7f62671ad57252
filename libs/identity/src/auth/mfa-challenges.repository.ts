import { Injectable } from '@nestjs/common';
import { Db, lockRow } from '@app/core';
import { MEMBERSHIPS_OF } from '../users/identity-sql';

/** Only this class touches mfa_challenges: the pending sign-in steps between password and TOTP. */
@Injectable()
export class MfaChallengesRepository {
  constructor(private readonly db: Db) {}

  /** Drops the person's expired challenges and stores a new one; answers its id. */
  async create(userId: string, now: Date, expiresAt: Date): Promise<string> {
    await this.db.query(`DELETE FROM mfa_challenges WHERE user_id = $1 AND expires_at <= $2`, [userId, now]);
    const [challenge] = await this.db.query<{ id: string }>(
      `INSERT INTO mfa_challenges (user_id, expires_at) VALUES ($1, $2) RETURNING id`, [userId, expiresAt],
    );
    return challenge.id;
  }

  async exists(id: string): Promise<boolean> {
    return (await this.db.query(`SELECT 1 FROM mfa_challenges WHERE id = $1`, [id])).length > 0;
  }

  /** Locks the person's row, then the challenge (the order a password change and a TOTP reset take too). */
  async lock(userId: string, id: string): Promise<boolean> {
    await lockRow(this.db, 'users', userId);
    return lockRow(this.db, 'mfa_challenges', id);
  }

  async delete(id: string): Promise<void> {
    await this.db.query(`DELETE FROM mfa_challenges WHERE id = $1`, [id]);
  }

  async deleteAllOf(userId: string): Promise<void> {
    // R-MEMB a lock, a password change or a TOTP reset is the identity's: every membership's pending step dies.
    await this.db.query(
      `DELETE FROM mfa_challenges
        WHERE user_id IN ${MEMBERSHIPS_OF}`,
      [userId],
    );
  }
}
