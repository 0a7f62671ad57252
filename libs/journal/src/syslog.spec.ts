import { parseSyslogMessage, SyslogFramer } from './syslog';

const sd = (params: string) => `<134>1 2026-11-23T10:15:02.000Z bastion-1 sshd 4242 - [conn@32473 ${params}] session opened`;
const complete = 'apiKey="pgk_abc_123" eventId="s-1" account="jean.dupont@biomed.fr" resource="pacs-01" sourceIp="192.0.2.10" '
  + 'startedAt="2026-11-23T10:15:00Z" endedAt="2026-11-23T10:45:00Z" outcome="success" recordingRef="rec/2026/11/23/s-1.cast"';

describe('R-ART41 syslog framing (RFC 6587)', () => {
  const messages = (frames: ReturnType<SyslogFramer['push']>) => frames.map((f) => ('message' in f ? f.message : `ERROR ${f.error}`));

  it('R-ART41 reads LF-terminated lines, with or without CR, across chunks', () => {
    const framer = new SyslogFramer();
    expect(messages(framer.push(Buffer.from('<13>1 first\r\n<13>1 sec')))).toEqual(['<13>1 first']);
    expect(messages(framer.push(Buffer.from('ond\n\n<13>1 third')))).toEqual(['<13>1 second']);
    expect(messages(framer.end())).toEqual(['<13>1 third']);
  });

  it('R-ART41 reads octet-counted frames (byte lengths, UTF-8), cut anywhere, mixed with lines', () => {
    const msg = '<13>1 - - - - - - élève';
    const framed = Buffer.from(`${Buffer.byteLength(msg)} ${msg}${Buffer.byteLength(msg)} ${msg}\n<13>1 a line\n`);
    const framer = new SyslogFramer();
    const out: string[] = [];
    for (let i = 0; i < framed.length; i += 3) out.push(...messages(framer.push(framed.subarray(i, i + 3))));
    expect(out).toEqual([msg, msg, '<13>1 a line']);
    expect(framer.end()).toEqual([]);
  });

  it('R-ART41 an octet count that is not followed by a space, or too large, stops the stream', () => {
    const bad = new SyslogFramer();
    expect(messages(bad.push(Buffer.from('12x<13>1 oops\n')))).toEqual(['ERROR an octet count must be followed by a space (RFC 6587)']);
    expect(bad.fatal).toBe(true);
    expect(bad.push(Buffer.from('<13>1 more\n'))).toEqual([]);
    const huge = new SyslogFramer(100);
    expect(messages(huge.push(Buffer.from('101 <13>1')))).toEqual(['ERROR a frame of 101 bytes is refused (1 to 100)']);
  });

  it('R-ART41 an over-long line is refused alone; a frame cut by the end of the connection is an error', () => {
    const framer = new SyslogFramer(10);
    expect(messages(framer.push(Buffer.from('<13>1 0123456789')))).toEqual(['ERROR a line longer than 10 bytes is refused']);
    expect(messages(framer.push(Buffer.from('still the long line\n<13>1 ok\n')))).toEqual(['<13>1 ok']);
    expect(messages(framer.push(Buffer.from('9 <13>1')))).toEqual([]);
    expect(messages(framer.end())).toEqual(['ERROR the connection closed inside an octet-counted frame']);
  });
});

describe('R-ART41 syslog message (RFC 5424, [conn@32473 ...])', () => {
  it('R-ART41 a complete message gives the key and the event as the HTTP API takes it', () => {
    expect(parseSyslogMessage(sd(complete))).toEqual({
      apiKey: 'pgk_abc_123',
      event: {
        eventId: 's-1', account: 'jean.dupont@biomed.fr', resource: 'pacs-01', sourceIp: '192.0.2.10', startedAt: '2026-11-23T10:15:00Z',
        endedAt: '2026-11-23T10:45:00Z', outcome: 'success', recordingRef: 'rec/2026/11/23/s-1.cast',
      },
    });
  });

  it('R-ART41 unescapes \\" \\\\ and \\] and keeps any other backslash', () => {
    const params = `apiKey="k" eventId="e\\"1\\]" account="DOM\\\\jdupont" resource="C:\\temp"`;
    const parsed = parseSyslogMessage(sd(`${params} startedAt="2026-11-23T10:15:00Z" outcome="failure"`));
    expect(parsed).toMatchObject({ event: { eventId: 'e"1]', account: 'DOM\\jdupont', resource: 'C:\\temp', outcome: 'failure' } });
  });

  it('R-ART41 other structured-data elements, NILVALUE header fields and no MSG are accepted; empty parameters are absent', () => {
    const text = '<13>1 - - - - - [timeQuality tzKnown="1" isSynced="0"][conn@32473 apiKey="k" eventId="e2" account="a" resource="r" '
      + 'sourceIp="" startedAt="2026-11-23T10:15:00Z" outcome="success" endedAt=""]';
    const parsed = parseSyslogMessage(text);
    const event = { eventId: 'e2', account: 'a', resource: 'r', startedAt: '2026-11-23T10:15:00Z', outcome: 'success' };
    expect(parsed).toEqual({ apiKey: 'k', event });
  });

  it.each([
    ['missing key', sd(complete.replace('apiKey="pgk_abc_123" ', '')), 'the apiKey parameter is required'],
    ['missing eventId', sd(complete.replace('eventId="s-1" ', '')), 'eventId is required'],
    ['missing account', sd(complete.replace('account="jean.dupont@biomed.fr" ', '')), 'account is required'],
    ['missing startedAt', sd(complete.replace('startedAt="2026-11-23T10:15:00Z" ', '')), 'startedAt must be an ISO 8601 instant'],
    ['bad outcome', sd(complete.replace('outcome="success"', 'outcome="ok"')), 'outcome must be success or failure'],
    ['bad address', sd(complete.replace('192.0.2.10', 'bastion')), 'sourceIp must be'],
    ['unknown parameter', sd(`${complete} user="x"`), 'unknown field "user"'],
    ['repeated parameter', sd(`${complete} eventId="s-2"`), 'the parameter eventId is repeated'],
    ['no structured data', '<13>1 2026-11-23T10:15:02Z host app - - - just text', 'no [conn@32473 ...] structured-data element'],
    ['text instead of structured data', '<13>1 2026-11-23T10:15:02Z host app - - just text', 'no structured data'],
    [
      'other element only', '<13>1 2026-11-23T10:15:02Z host app - - [origin ip="10.0.0.1"] text',
      'no [conn@32473 ...] structured-data element',
    ],
    ['two conn elements', `${sd(complete).replace(' session opened', '')}[conn@32473 apiKey="k"]`, 'more than one [conn@32473 ...]'],
    ['unterminated value', '<13>1 - - - - - [conn@32473 apiKey="k', 'unterminated value of apiKey'],
    ['value without quotes', '<13>1 - - - - - [conn@32473 apiKey=k]', 'malformed parameter'],
    ['not RFC 5424', 'Nov 23 10:15:02 bastion sshd[42]: Accepted publickey for jdupont', 'not an RFC 5424 message'],
    ['bad PRI', sd(complete).replace('<134>', '<192>'), 'PRI must be 0 to 191'],
    ['NUL character', sd(complete.replace('pacs-01', 'pacs\u000001')), 'NUL character'],
  ])('R-ART41 refuses a message with %s', (_name, text, error) => {
    const parsed = parseSyslogMessage(text);
    expect('error' in parsed && parsed.error).toContain(error);
  });
});
