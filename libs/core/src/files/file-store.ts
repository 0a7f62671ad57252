import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Db } from '../database/db';
import { DomainError, ValidationFailed } from '../errors/domain-error';

export interface StoredFile {
  sha256: string;
  size: number;
  contentType: string;
}

/** Where uploaded evidence (signed charters, attestations) lives. Content-addressed by SHA-256. */
export abstract class FileStore {
  abstract put(content: Buffer, contentType: string): Promise<StoredFile>;
  abstract get(sha256: string): Promise<(StoredFile & { content: Buffer }) | null>;
}

export function sha256Hex(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

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

/** Signed charters and attestations must be PDF files (Art. 2: "au format électronique"). */
export const MAX_PDF_BYTES = 10 * 1024 * 1024;

/** Checks the bytes, not the name or the declared type: a PDF starts with "%PDF-". */
export function assertPdf(content: Buffer, field = 'file'): void {
  if (!content.length) throw new ValidationFailed('The file is empty', [{ field, message: 'must not be empty' }]);
  if (content.length > MAX_PDF_BYTES) {
    throw new DomainError('FILE_TOO_LARGE', 413, `The file is larger than ${MAX_PDF_BYTES / 1024 / 1024} MiB`);
  }
  if (content.subarray(0, 5).toString('latin1') !== '%PDF-') {
    throw new DomainError('FILE_NOT_PDF', 415, 'The file is not a PDF document', { errors: [{ field, message: 'must be a PDF file' }] });
  }
}
