import { ServiceUnavailableError } from '@app/core';
import { JournalErrors } from './errors';

/** R-ART41 R-INT: ingestion refused while PostgreSQL is unreachable; nothing of the request was accepted. */
export class JournalUnavailable extends ServiceUnavailableError {
  constructor() {
    super(JournalErrors.text('JOURNAL_UNAVAILABLE'));
  }
}
