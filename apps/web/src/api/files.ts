import { ApiError, problemIn } from './problem';
import { authorisedFetch } from './session';

export interface Downloaded {
  blob: Blob;
  filename: string;
}

type OnProgress = (received: number, total: number | null) => void;

async function readAll(response: Response, onProgress?: OnProgress): Promise<BlobPart[]> {
  const length = Number(response.headers.get('content-length'));
  const total = Number.isFinite(length) && length > 0 ? length : null;
  const chunks: BlobPart[] = [];
  let received = 0;
  onProgress?.(0, total);
  const reader = response.body?.getReader();
  if (!reader) return [await response.arrayBuffer()];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    chunks.push(value);
    received += value.byteLength;
    onProgress?.(received, total);
  }
}

/**
 * A file behind the bearer token (signed charter, export, evidence), read as a stream so that long downloads show
 * their progress: `onProgress(received, total)`, total null when the server streams without a length.
 */
export async function download(path: string, onProgress?: OnProgress, signal?: AbortSignal): Promise<Downloaded> {
  const response = await authorisedFetch(new Request(path, { signal, headers: { accept: 'application/json, application/problem+json' } }));
  if (!response.ok) throw new ApiError(await problemIn(response));
  const chunks = await readAll(response, onProgress);
  const disposition = response.headers.get('content-disposition') ?? '';
  const filename = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1] ?? path.split('/').pop() ?? 'download';
  const type = response.headers.get('content-type') ?? 'application/octet-stream';
  return { blob: new Blob(chunks, { type }), filename: decodeURIComponent(filename) };
}

/** Hands a downloaded file to the browser (the person's own "save" action). */
export function saveFile({ blob, filename }: Downloaded): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export async function sha256Hex(blob: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
