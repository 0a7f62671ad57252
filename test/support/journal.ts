import { JobName } from '@app/core';
import { TestContext } from '@app/testing';
import { JobRegistry } from '../../apps/worker/src/job-registry';

/** One connection event as a gateway sends it (R-ART41): a success from 192.0.2.44 unless `extra` says otherwise. */
export const connectionEvent = (eventId: string, account: string, resource: string, startedAt: Date, extra: object = {}) => ({
  eventId, account, resource, sourceIp: '192.0.2.44', startedAt: startedAt.toISOString(), outcome: 'success', ...extra,
});

/** Sends the events with the gateway key; none may be refused. Answers the ingestion's body. */
export async function ingestEvents(ctx: TestContext, key: string, events: object[]) {
  const res = await ctx.http.post('/v1/connection-events').set('X-Api-Key', key).send(events).expect(200);
  expect(res.body.rejected).toEqual([]);
  return res.body;
}

/** Runs the correlation job now, in the test's worker (what its 30-second schedule does). */
export const correlateJournal = (ctx: TestContext) => ctx.worker!.get(JobRegistry).dispatch(JobName.JournalCorrelate, {}, { attempt: 1 });
