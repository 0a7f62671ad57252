import { Injectable } from '@nestjs/common';
import { Db } from '../database/db';
import { FileStore, sha256Hex, StoredFile } from './file-store';

/**
 * The default store: PostgreSQL, so the zero-setup install needs nothing else. The same bytes
 * uploaded twice are stored once; a file is never deleted (signatures are evidence, R-AUD).
 */
@Injectable()
export class PostgresFileStore extends FileStore {
  constructor(private readonly db: Db) {
    super();
  }

  async put(content: Buffer, contentType: string): Promise<StoredFile> {
    const sha256 = sha256Hex(content);
    await this.db.query(
      `INSERT INTO files (sha256, size, content_type, content) VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING`,
      [sha256, content.length, contentType, content],
    );
    return { sha256, size: content.length, contentType };
  }

  async get(sha256: string): Promise<(StoredFile & { content: Buffer }) | null> {
    const [row] = await this.db.query<{ sha256: string; size: number; content_type: string; content: Buffer }>(
      `SELECT sha256, size, content_type, content FROM files WHERE sha256 = $1`, [sha256],
    );
    return row ? { sha256: row.sha256, size: row.size, contentType: row.content_type, content: row.content } : null;
  }
}
