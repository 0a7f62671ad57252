import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CoreErrors, fieldErrors, fieldText, invalidFields } from '@app/core';

export interface UploadedPart {
  content: Buffer;
  filename: string;
  mimetype: string;
}

/**
 * Reads a multipart/form-data request: its text fields validated against a DTO (unknown fields
 * refused, like JSON bodies; no DTO: no field at all) and exactly one file named `file`.
 */
export async function readMultipart<T extends object>(
  request: FastifyRequest, dto: (new () => T) | null, maxFileBytes: number,
): Promise<{ body: T; file: UploadedPart }> {
  if (!request.isMultipart()) {
    throw CoreErrors.error('MULTIPART_REQUIRED');
  }
  const fields: Record<string, string> = {};
  let file: UploadedPart | undefined;
  try {
    for await (const part of request.parts({ limits: { fileSize: maxFileBytes, files: 1 } })) {
      if (part.type === 'file') {
        const content = await part.toBuffer();
        if (part.fieldname !== 'file') continue;
        file = { content, filename: safeFilename(part.filename), mimetype: part.mimetype };
      } else {
        fields[part.fieldname] = String(part.value);
      }
    }
  } catch (error) {
    // Limits (file too large...) carry their 4xx status; anything else the parser throws is a body it cannot
    // read (no boundary, truncated part): a 400, not a 500.
    if (typeof (error as { statusCode?: unknown }).statusCode === 'number') throw error;
    throw CoreErrors.error('MULTIPART_UNREADABLE', { reason: (error as Error).message });
  }
  const body = dto ? plainToInstance(dto, fields) : ({} as T);
  const errors = dto
    ? fieldErrors(await validate(body, { whitelist: true, forbidNonWhitelisted: true }))
    : Object.keys(fields).map((field) => ({ field, message: fieldText('unknownField', field) }));
  if (!file) errors.push({ field: 'file', message: fieldText('isDefined', 'file') });
  if (errors.length) throw invalidFields(errors);
  return { body, file: file! };
}

function safeFilename(name: string | undefined): string {
  const cleaned = (name ?? 'document.pdf').replace(/[^\p{L}\p{N} ._()-]/gu, '_').slice(0, 200).trim();
  return cleaned || 'document.pdf';
}

/** Stored evidence is served as a download, never rendered inline with a guessed type. */
export function sendFile(reply: FastifyReply, file: { content: Buffer; filename: string; sha256: string }): FastifyReply {
  return reply
    .header('content-type', 'application/pdf')
    // Always named .pdf: saved as "x.html", a PDF/HTML polyglot would run as a page when opened.
    .header('content-disposition', attachmentDisposition(/\.pdf$/i.test(file.filename) ? file.filename : `${file.filename}.pdf`))
    .header('x-content-type-options', 'nosniff')
    .header('x-checksum-sha256', file.sha256)
    .send(file.content);
}

/**
 * RFC 6266 / RFC 8187: an ASCII fallback name and the exact UTF-8 one. A name outside Latin-1 ("Cœur",
 * "签名") written raw in the header makes Node throw and the download hang.
 */
export function attachmentDisposition(filename: string): string {
  const name = Buffer.from(filename, 'utf8').toString('utf8'); // a lone surrogate becomes U+FFFD
  const fallback = name.normalize('NFD').replace(/\p{M}/gu, '').replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
