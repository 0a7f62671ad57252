import { MALFORMED, parseEvent, splitNdjson } from './events';

describe('R-ART41 connection event validation', () => {
  const good = {
    eventId: 'e1', account: 'a@b.fr', resource: 'pacs', sourceIp: '10.0.0.1', startedAt: '2026-11-23T10:00:00Z', outcome: 'success',
  };

  it('accepts a complete event and trims nothing it should not', () => {
    expect(parseEvent(good)).toMatchObject({ eventId: 'e1', sourceIp: '10.0.0.1', endedAt: null, recordingRef: null });
  });

  it.each([
    [{ ...good, eventId: '' }, 'eventId is required'],
    [{ ...good, sourceIp: '999.1.1.1' }, 'sourceIp must be'],
    [{ ...good, startedAt: 'yesterday' }, 'startedAt must be'],
    [{ ...good, endedAt: '2026-11-23T09:00:00Z' }, 'endedAt is before startedAt'],
    [{ ...good, outcome: 'maybe' }, 'outcome must be'],
    [{ ...good, extra: 1 }, 'unknown field "extra"'],
    [[1, 2], 'an event is a JSON object'],
    // R-INT what PostgreSQL refuses (a NUL: 22021; a zone index in inet: 22P02) or alters (a lone surrogate) is refused here.
    [{ ...good, account: 'a\u0000b@c.fr' }, 'account contains a NUL character'],
    [{ ...good, recordingRef: 'rec-\ud800' }, 'recordingRef contains a NUL character or an unpaired surrogate'],
    [{ ...good, sourceIp: 'fe80::1%eth0' }, 'sourceIp must be'],
    [{ ...good, startedAt: '2026-02-30T10:00:00Z' }, 'startedAt must be'],
  ])('rejects %j', (raw, message) => {
    expect(parseEvent(raw)).toContain(message);
  });

  it('splits NDJSON, keeping a malformed line as a marker so the others survive', () => {
    expect(splitNdjson('{"a":1}\nnot json\n\n{"b":2}\n')).toEqual([{ a: 1 }, MALFORMED, { b: 2 }]);
  });
});
