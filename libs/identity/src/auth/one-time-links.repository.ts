import { Injectable } from '@nestjs/common';
import { Db } from '@app/core';

/** The tables of one-time links, each `(id, user_id, token_hash, expires_at, used_at, revoked_at, created_at)`. */
export type LinkTable = 'invitations' | 'mfa_enrolment_links';

/** A new link: the person, its keyed hash, its times, and the table's own columns (`resent` for invitations). */
export interface NewLink {
  userId: string;
  tokenHash: string;
  expiresAt: Date;
  createdAt: Date;
  resent?: boolean;
}

/** Only this class touches invitations and mfa_enrolment_links (R-ART28). */
@Injectable()
export class OneTimeLinksRepository {
  constructor(private readonly db: Db) {}

  /** Revokes the person's unused links; answers how many. */
  async revokePending(table: LinkTable, userId: string, at: Date): Promise<number> {
    const rows = await this.db.query(
      `UPDATE ${table} SET revoked_at = $2 WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL RETURNING id`, [userId, at],
    );
    return rows.length;
  }

  async add(table: LinkTable, link: NewLink): Promise<void> {
    const values: Record<string, unknown> = {
      user_id: link.userId, token_hash: link.tokenHash, expires_at: link.expiresAt, created_at: link.createdAt,
      ...(link.resent === undefined ? {} : { resent: link.resent }),
    };
    const names = Object.keys(values);
    await this.db.query(
      `INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')})`, Object.values(values),
    );
  }

  /** The working (unused, unrevoked, unexpired) link of this hash, of `userId` when given. */
  async pending(table: LinkTable, tokenHash: string, now: Date, userId?: string): Promise<{ id: string; userId: string } | undefined> {
    const [row] = await this.db.query<{ id: string; userId: string }>(
      `SELECT id, user_id AS "userId" FROM ${table}
        WHERE token_hash = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $2 AND ($3::uuid IS NULL OR user_id = $3)`,
      [tokenHash, now, userId ?? null],
    );
    return row;
  }

  /** When the person's latest working link was issued. */
  async pendingSince(table: LinkTable, userId: string, now: Date): Promise<Date | undefined> {
    const [row] = await this.db.query<{ createdAt: Date }>(
      `SELECT created_at AS "createdAt" FROM ${table}
        WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $2 ORDER BY created_at DESC LIMIT 1`,
      [userId, now],
    );
    return row?.createdAt;
  }

  /** Whether the person has a link neither used nor revoked (expired or not). */
  async anyUnused(table: LinkTable, userId: string): Promise<boolean> {
    const rows = await this.db.query(
      `SELECT 1 FROM ${table} WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL LIMIT 1`, [userId],
    );
    return rows.length > 0;
  }

  /** Marks this link used; false when a concurrent request (or a newer link) got there first. */
  async use(table: LinkTable, id: string, at: Date): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE ${table} SET used_at = $2 WHERE id = $1 AND used_at IS NULL AND revoked_at IS NULL RETURNING id`, [id, at],
    );
    return rows.length === 1;
  }

  /** Marks every unused link of the person used (the enrolment it guarded is done). */
  async useAllOf(table: LinkTable, userId: string, at: Date): Promise<void> {
    await this.db.query(`UPDATE ${table} SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL`, [userId, at]);
  }

  /** The creation times of the person's resent invitations since `since`, newest first, `limit` at most. */
  async resentSince(userId: string, since: Date, limit: number): Promise<Date[]> {
    const rows = await this.db.query<{ createdAt: Date }>(
      `SELECT created_at AS "createdAt" FROM invitations
        WHERE user_id = $1 AND resent AND created_at > $2 ORDER BY created_at DESC LIMIT $3`,
      [userId, since, limit],
    );
    return rows.map((r) => r.createdAt);
  }
}
