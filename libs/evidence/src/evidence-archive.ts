import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { ZipArchive } from 'archiver';
import { csvLine } from '@app/core';

/** One file of the pack as manifest.json lists it. */
export interface ManifestFile {
  path: string;
  sha256: string;
  size: number;
  contentType: string;
  description: string;
}

export interface EntryMeta {
  contentType: string;
  description: string;
}

/** Archive paths are ASCII, relative, without `..`: every unzip tool extracts them where the inspector expects. */
const SAFE_PATH = /^(?:[A-Za-z0-9_.-]+\/)*[A-Za-z0-9_.-]+$/;

/** Already compressed: stored as is (deflating a PDF again costs CPU for nothing). */
const STORED_TYPES = new Set(['application/pdf']);

/**
 * R-AUD the evidence pack as a ZIP written while the client reads it, one entry at a time under the response's
 * backpressure (memory holds one file, never the archive); each entry's SHA-256 goes to manifest.json, written last.
 */
export class EvidenceArchive {
  private readonly zip: ZipArchive;
  private readonly entries: ManifestFile[] = [];
  private readonly claimed = new Set<string>();
  private failure: Error | null = null;

  constructor(private readonly date: Date) {
    this.zip = new ZipArchive({ zlib: { level: 6 } });
    // An 'error' nobody listens to would bring the process down; the producer sees it through `failure`.
    this.zip.on('error', (error) => { this.failure ??= error; });
    this.zip.on('warning', (error) => { this.failure ??= error; });
    this.zip.on('close', () => { this.failure ??= new Error('The client closed the download'); });
  }

  /** What the HTTP reply sends. */
  get stream(): Readable {
    return this.zip as unknown as Readable;
  }

  get files(): readonly ManifestFile[] {
    return this.entries;
  }

  async add(path: string, content: string | Buffer, meta: EntryMeta): Promise<ManifestFile> {
    this.claim(path);
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const file = { path, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, ...meta };
    await this.append(path, bytes, meta.contentType);
    this.entries.push(file);
    return file;
  }

  /** Pretty-printed JSON (a person opens it in a text editor). */
  addJson(path: string, value: unknown, description: string): Promise<ManifestFile> {
    return this.add(path, `${JSON.stringify(value, null, 2)}\n`, { contentType: 'application/json', description });
  }

  /**
   * A spreadsheet view: RFC 4180 with CRLF, a UTF-8 byte order mark (so that a spreadsheet reads the
   * accents right) and cells that a spreadsheet would run as a formula prefixed with `'`.
   */
  addCsv(path: string, columns: readonly string[], rows: readonly object[], description: string): Promise<ManifestFile> {
    const lines = [csvLine([...columns]), ...rows.map((row) => csvLine(columns.map((c) => cellText((row as Record<string, unknown>)[c]))))];
    return this.add(path, `\uFEFF${lines.join('')}`, { contentType: 'text/csv; charset=utf-8', description });
  }

  /** A large entry produced piece by piece (the audit extract): hashed as it passes, never held whole. */
  async addChunks(path: string, chunks: AsyncIterable<string | Buffer>, meta: EntryMeta): Promise<ManifestFile> {
    this.claim(path);
    const hash = createHash('sha256');
    let size = 0;
    let sourceError: Error | null = null;
    async function* hashed(): AsyncGenerator<Buffer> {
      try {
        for await (const chunk of chunks) {
          const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
          hash.update(bytes);
          size += bytes.length;
          yield bytes;
        }
      } catch (error) {
        sourceError = error as Error;
        throw error;
      }
    }
    await this.append(path, Readable.from(hashed(), { objectMode: false }), meta.contentType);
    if (sourceError) throw sourceError;
    const file = { path, sha256: hash.digest('hex'), size, ...meta };
    this.entries.push(file);
    return file;
  }

  /** manifest.json goes last: it lists every other file, so it cannot list itself. */
  async finish(manifest: Buffer): Promise<void> {
    await this.append('manifest.json', manifest, 'application/json');
    await this.zip.finalize();
  }

  /** Cuts the download: the client gets a truncated file that no unzip tool takes for complete. */
  abort(error: Error): void {
    this.failure ??= error;
    this.zip.abort();
    this.zip.destroy(error);
  }

  /** Each path once; manifest.json is the pack's own. */
  private claim(path: string): void {
    if (!SAFE_PATH.test(path) || path.split('/').includes('..')) throw new Error(`Unsafe archive path: ${path}`);
    if (path === 'manifest.json' || this.claimed.has(path)) throw new Error(`Archive path used twice: ${path}`);
    this.claimed.add(path);
  }

  private append(path: string, content: Buffer | Readable, contentType: string): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    // Always a stream: archiver writes a Buffer entry (a stored one at least) at once, whatever the reader's pace,
    // and would let the producer read the next file while this one still waits in memory.
    const source = Buffer.isBuffer(content) ? Readable.from(slices(content), { objectMode: false }) : content;
    return new Promise<void>((resolve, reject) => {
      const done = (error?: Error) => {
        this.zip.off('entry', onEntry);
        this.zip.off('error', done);
        this.zip.off('close', onClose);
        if (error) reject(error);
        else resolve();
      };
      const onEntry = () => done();
      const onClose = () => done(this.failure ?? new Error('The archive was closed'));
      this.zip.once('entry', onEntry);
      this.zip.once('error', done);
      this.zip.once('close', onClose);
      this.zip.append(source, { name: path, date: this.date, store: STORED_TYPES.has(contentType) });
    });
  }
}

/** A buffer handed to the compressor in pieces, so that it waits for the reader between them. */
function* slices(bytes: Buffer, size = 64 * 1024): Generator<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

function cellText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((v) => cellText(v) ?? '').join('; ');
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
