import { Injectable } from '@nestjs/common';
import { assertPdf, DomainError, FileStore, StoredFile } from '@app/core';
import { TenantCalendar } from '@app/identity';
import { DocumentEntity } from './entities';
import { CharterErrors } from './errors';

export interface SubmitSignature {
  documentId: string;
  signerFirstName: string;
  signerLastName: string;
  signerFunction: string;
  signedOn: string;
  allPagesInitialled: boolean;
  file: { content: Buffer; filename: string };
}

/** Who must have signed: the declared legal representative, or the account holder for a convention. */
export interface ExpectedSigner {
  firstName: string;
  lastName: string;
  who: 'legal_rep' | 'holder';
}

/** Names compared as a person reads them: case, accents and spacing do not matter. */
export function sameName(a: string, b: string): boolean {
  const norm = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').replace(/[\s'-]+/g, ' ').trim().toLowerCase();
  return norm(a) === norm(b);
}

/** R-ART2: what a signed copy must be (a PDF, initialled, dated, by the expected signer), and where it is kept as uploaded. */
@Injectable()
export class SignedCopies {
  constructor(private readonly files: FileStore, private readonly calendar: TenantCalendar) {}

  /** The checks that need nothing stored: before the transaction. */
  checkFile(input: SubmitSignature): void {
    if (!input.allPagesInitialled) {
      throw CharterErrors.invalid('PAGES_NOT_INITIALLED', 'allPagesInitialled');
    }
    assertPdf(input.file.content);
  }

  async check(tenantId: string, doc: DocumentEntity, input: SubmitSignature, signer: ExpectedSigner): Promise<void> {
    if (doc.withdrawnAt) throw CharterErrors.error('DOCUMENT_WITHDRAWN');
    if (input.signedOn > (await this.calendar.today(tenantId))) {
      throw CharterErrors.invalid('SIGNED_IN_FUTURE', 'signedOn');
    }
    if (!sameName(signer.firstName, input.signerFirstName) || !sameName(signer.lastName, input.signerLastName)) {
      throw notTheSigner(signer);
    }
  }

  store(input: SubmitSignature): Promise<StoredFile> {
    return this.files.put(input.file.content, 'application/pdf');
  }

  read(sha256: string) {
    return this.files.get(sha256);
  }
}

function notTheSigner(signer: ExpectedSigner): DomainError {
  const code = signer.who === 'holder' ? 'SIGNER_NOT_ACCOUNT_HOLDER' : 'SIGNER_NOT_LEGAL_REPRESENTATIVE';
  const params = { person: `${signer.firstName} ${signer.lastName}` };
  return CharterErrors.error(code, params, { errors: [{ field: 'signerLastName', message: CharterErrors.text(code, params, 'field') }] });
}
