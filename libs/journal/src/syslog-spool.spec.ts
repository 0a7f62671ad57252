import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SyslogSpool } from './syslog-spool';

describe('R-ART41 R-INT the syslog spool file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'spool-spec-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads back what was appended, in order, line by line, from any offset; is private to its owner', () => {
    const spool = new SyslogSpool(join(dir, 'sub'), 'syslog-h-1514');
    spool.append([{ keyHash: 'k1', event: { eventId: 'a' } }, { keyHash: 'k1', event: { eventId: 'é' } }]);
    spool.append([{ keyHash: 'k2', event: { eventId: 'c' } }]);
    const lines = spool.read(0, 10);
    expect(lines.map((l) => l.record)).toEqual([
      { keyHash: 'k1', event: { eventId: 'a' } }, { keyHash: 'k1', event: { eventId: 'é' } }, { keyHash: 'k2', event: { eventId: 'c' } },
    ]);
    expect(spool.read(lines[0].bytes, 1).map((l) => l.record?.event)).toEqual([{ eventId: 'é' }]);
    expect(spool.read(spool.size, 10)).toEqual([]);
    expect(statSync(spool.path).mode & 0o777).toBe(0o600);
    spool.remove();
    expect(spool.size).toBe(0);
  });

  it('a line cut by a crash reads as one unreadable line, and what is appended after it is whole', () => {
    const spool = new SyslogSpool(dir, 'syslog-h-1514');
    spool.append([{ keyHash: 'k1', event: { eventId: 'a' } }]);
    spool.close();
    appendFileSync(spool.path, '{"h":"k1","e":{"eventId":"b');
    const again = new SyslogSpool(dir, 'syslog-h-1514');
    again.sealTornTail();
    again.append([{ keyHash: 'k1', event: { eventId: 'c' } }]);
    expect(again.read(0, 10).map((l) => l.record?.event ?? null)).toEqual([{ eventId: 'a' }, null, { eventId: 'c' }]);
    again.quarantine(again.read(0, 10).filter((l) => !l.record));
    expect(readFileSync(again.quarantinePath, 'utf8')).toBe('{"h":"k1","e":{"eventId":"b\n');
    again.close();
  });
});
