import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { DOCUMENT_KINDS, DocumentKind, SIGNATURE_STATUSES, SignatureStatus } from '@app/charters';
import { IsCalendarDate, PageQuery } from '@app/core';

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

/** Multipart fields of POST /v1/documents (the PDF goes in the `file` part). */
export class UploadDocumentFields {
  @ApiProperty({ enum: DOCUMENT_KINDS })
  @IsIn(DOCUMENT_KINDS, { message: `kind must be one of ${DOCUMENT_KINDS.join(', ')}` }) kind: DocumentKind;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) title?: string;
  @ApiProperty({ example: 'v2.0' }) @IsString() @Length(1, 50) versionLabel: string;
  @ApiProperty({ format: 'date' }) @IsCalendarDate() effectiveOn: string;
  @ApiPropertyOptional({ format: 'date', description: 'Contractors that signed an earlier version keep access until this date' })
  @IsOptional() @IsCalendarDate() resignDeadline?: string;
}

/** Multipart fields of POST /v1/contractors/{id}/signatures (the signed PDF goes in the `file` part). */
export class SignatureFields {
  @ApiProperty({ format: 'uuid' }) @IsUUID() documentId: string;
  @ApiProperty() @IsString() @Length(1, 100) signerFirstName: string;
  @ApiProperty() @IsString() @Length(1, 100) signerLastName: string;
  @ApiProperty({ example: 'Président' }) @IsString() @Length(1, 100) signerFunction: string;
  @ApiProperty({ format: 'date' }) @IsCalendarDate() signedOn: string;
  @ApiProperty({ description: 'The document is initialled on every page (Art. 2)' })
  @Transform(toBoolean) @IsBoolean() allPagesInitialled: boolean;
}

export class RejectDto {
  @ApiProperty({ example: 'Pages 3 and 4 are not initialled' }) @IsString() @Length(3, 1000) reason: string;
}

export class DocumentsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: DOCUMENT_KINDS }) @IsOptional() @IsIn(DOCUMENT_KINDS) kind?: DocumentKind;
}

export class SignaturesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: SIGNATURE_STATUSES }) @IsOptional() @IsIn(SIGNATURE_STATUSES) status?: SignatureStatus;
  @ApiPropertyOptional({ format: 'uuid', description: 'Signatures of this document version' }) @IsOptional() @IsUUID() documentId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: "An account's access conventions" }) @IsOptional() @IsUUID() accountId?: string;
}

export class TenantSignaturesQuery extends SignaturesQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only this company' }) @IsOptional() @IsUUID() contractorId?: string;
}

export function multipartSchema(fields: Record<string, object>, required: string[]) {
  return {
    schema: {
      type: 'object',
      required: [...required, 'file'],
      properties: { ...fields, file: { type: 'string', format: 'binary', description: 'PDF, 10 MiB at most' } },
    },
  };
}
