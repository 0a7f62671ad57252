import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { DecisionsRepository, LookupQuestion, LookupRow } from './decisions.repository';

/** At most this many statements in flight; questions arriving meanwhile wait for the next one. */
const MAX_IN_FLIGHT = 2;
const MAX_BATCH = 200;

/**
 * Each question is a fresh read (a suspension or a window's end counts at once); those asked together share one
 * statement (dataloader, no cache), since a round trip costs far more than one more lookup in it.
 */
@Injectable()
export class DecisionLookup {
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly loader = new DataLoader<LookupQuestion, LookupRow>((batch) => this.run(batch), {
    cache: false,
    maxBatchSize: MAX_BATCH,
    // Questions asked in the same turn of the event loop go together; a batch waits for a free slot.
    batchScheduleFn: (dispatch) => setImmediate(() => this.whenFree(dispatch)),
  });

  constructor(private readonly repo: DecisionsRepository) {}

  find(question: LookupQuestion): Promise<LookupRow> {
    return this.loader.load(question);
  }

  private whenFree(dispatch: () => void): void {
    if (this.inFlight >= MAX_IN_FLIGHT) {
      this.waiting.push(dispatch);
      return;
    }
    this.inFlight++;
    dispatch();
  }

  private async run(batch: readonly LookupQuestion[]): Promise<(LookupRow | Error)[]> {
    try {
      const rows = await this.repo.lookup(batch);
      return rows.map((row) => row ?? new Error('The decision lookup returned no row for a question'));
    } finally {
      // The slot passes to the next batch waiting, if any.
      const next = this.waiting.shift();
      if (next) next();
      else this.inFlight--;
    }
  }
}
