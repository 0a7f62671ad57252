import { createHash } from 'node:crypto';
import { CoreErrors } from '../errors';

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

/** Signed charters and attestations must be PDF files (Art. 2: "au format électronique"). */
export const MAX_PDF_BYTES = 10 * 1024 * 1024;

/** Checks the bytes, not the name or the declared type: a PDF starts with "%PDF-". */
export function assertPdf(content: Buffer, field = 'file'): void {
  if (!content.length) throw CoreErrors.invalid('FILE_EMPTY', field);
  if (content.length > MAX_PDF_BYTES) {
    throw CoreErrors.error('FILE_TOO_LARGE', { mib: MAX_PDF_BYTES / 1024 / 1024 });
  }
  if (content.subarray(0, 5).toString('latin1') !== '%PDF-') {
    throw CoreErrors.error('FILE_NOT_PDF', {}, { errors: [{ field, message: CoreErrors.text('FILE_NOT_PDF', {}, 'field') }] });
  }
}
