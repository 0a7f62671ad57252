import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, fieldErrors, ValidationFailed } from '@app/core';

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
    throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 415, 'This route takes multipart/form-data with a `file` part');
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
    // read (no boundary, truncated part): a 400, not a 500 (found by the security fuzzer).
    if (typeof (error as { statusCode?: unknown }).statusCode === 'number') throw error;
    throw new DomainError('MALFORMED_BODY', 400, `The multipart body cannot be read: ${(error as Error).message}`);
  }
  const body = dto ? plainToInstance(dto, fields) : ({} as T);
  const errors = dto
    ? fieldErrors(await validate(body, { whitelist: true, forbidNonWhitelisted: true }))
    : Object.keys(fields).map((field) => ({ field, message: `unknown field "${field}"` }));
  if (!file) errors.push({ field: 'file', message: 'a file is required' });
  if (errors.length) throw new ValidationFailed(`The request has ${errors.length} invalid field(s)`, errors);
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
    .header('content-disposition', `attachment; filename="${file.filename.replace(/"/g, '')}"`)
    .header('x-content-type-options', 'nosniff')
    .header('x-checksum-sha256', file.sha256)
    .send(file.content);
}
