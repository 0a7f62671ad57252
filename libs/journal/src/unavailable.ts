import { ServiceUnavailableError } from '@app/core';

/** R-ART41 R-INT: ingestion refused while PostgreSQL is unreachable; nothing of the request was accepted. */
export class JournalUnavailable extends ServiceUnavailableError {
  constructor() {
    super('The connection journal cannot store events right now; nothing was accepted, send the batch again later');
  }
}
