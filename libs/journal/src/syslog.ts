import { parseEvent } from './events';

// R-ART41 over syslog, the pure part (no socket): RFC 6587 framing and RFC 5424 messages whose `conn@32473`
// element carries the fields of POST /v1/connection-events plus the gateway's key (docs/adr/journal-syslog.md).

/** The SD-ID of the element (32473: the IANA enterprise number reserved for examples, RFC 5612). */
export const SYSLOG_SD_ID = 'conn@32473';

/** Larger frames are refused (rsyslog's default is 8 KiB; RFC 5425 asks receivers for 2 KiB at least). */
export const MAX_SYSLOG_FRAME = 64 * 1024;

export type SyslogFrame = { message: string } | { error: string };

export interface SyslogEvent {
  /** The gateway's API key (the `apiKey` parameter); authenticated by the listener. */
  apiKey: string;
  /** The event as POST /v1/connection-events takes it (empty parameters left out). */
  event: Record<string, string>;
}

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const isDigit = (b: number) => b >= 0x30 && b <= 0x39;

/**
 * RFC 6587 framing, decided frame by frame: octet counting (`<length> <message>`, first byte a digit) or one message
 * per LF-terminated line (CR tolerated). A frame over `maxFrame` is an error; such an octet count is `fatal` (no resync).
 */
export class SyslogFramer {
  private pending: Buffer = Buffer.alloc(0);
  /** Non-transparent framing: the rest of an over-long line is being skipped. */
  private skipping = false;
  fatal = false;

  constructor(private readonly maxFrame = MAX_SYSLOG_FRAME) {}

  /** Bytes of a frame begun and not finished yet (the listener's idle timeout watches them). */
  get pendingBytes(): number {
    return this.skipping ? 1 : this.pending.length;
  }

  push(chunk: Buffer): SyslogFrame[] {
    if (this.fatal) return [];
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const frames: SyslogFrame[] = [];
    let at = 0;
    for (;;) {
      if (this.skipping) {
        const lf = this.pending.indexOf(LF, at);
        if (lf < 0) { at = this.pending.length; break; }
        this.skipping = false;
        at = lf + 1;
      }
      // Separators between frames (a trailer LF after an octet-counted frame, blank lines).
      while (at < this.pending.length && (this.pending[at] === LF || this.pending[at] === CR || this.pending[at] === 0)) at++;
      if (at >= this.pending.length) break;
      const next = isDigit(this.pending[at]) ? this.octetCounted(at, frames) : this.line(at, frames);
      if (next === null) break;
      at = next;
      if (this.fatal) { this.pending = Buffer.alloc(0); return frames; }
    }
    this.pending = this.pending.subarray(at);
    return frames;
  }

  /** The connection closed: a last line without its LF is still a message; a cut octet-counted frame is not. */
  end(): SyslogFrame[] {
    const rest = this.pending;
    this.pending = Buffer.alloc(0);
    if (this.fatal || this.skipping || !rest.length) return [];
    if (isDigit(rest[0])) return [{ error: 'the connection closed inside an octet-counted frame' }];
    const text = stripCr(rest).toString('utf8');
    return text.trim() ? [{ message: text }] : [];
  }

  /** `<digits> SP <that many bytes>`; answers where the next frame starts, or null to wait for more bytes. */
  private octetCounted(at: number, frames: SyslogFrame[]): number | null {
    let i = at;
    while (i < this.pending.length && isDigit(this.pending[i]) && i - at < 10) i++;
    if (i >= this.pending.length) return null;
    if (this.pending[i] !== SP) {
      this.fatal = true;
      frames.push({ error: 'an octet count must be followed by a space (RFC 6587)' });
      return i;
    }
    const length = Number(this.pending.subarray(at, i).toString('ascii'));
    if (length === 0 || length > this.maxFrame) {
      this.fatal = true;
      frames.push({ error: `a frame of ${length} bytes is refused (1 to ${this.maxFrame})` });
      return i;
    }
    const start = i + 1;
    if (this.pending.length - start < length) return null;
    frames.push({ message: this.pending.subarray(start, start + length).toString('utf8') });
    return start + length;
  }

  private line(at: number, frames: SyslogFrame[]): number | null {
    const lf = this.pending.indexOf(LF, at);
    if (lf < 0) {
      if (this.pending.length - at <= this.maxFrame) return null;
      frames.push({ error: `a line longer than ${this.maxFrame} bytes is refused` });
      this.skipping = true;
      return this.pending.length;
    }
    if (lf - at > this.maxFrame) {
      frames.push({ error: `a line longer than ${this.maxFrame} bytes is refused` });
      return lf + 1;
    }
    frames.push({ message: stripCr(this.pending.subarray(at, lf)).toString('utf8') });
    return lf + 1;
  }
}

function stripCr(line: Buffer): Buffer {
  return line.length && line[line.length - 1] === CR ? line.subarray(0, line.length - 1) : line;
}

// PRI VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP (RFC 5424 section 6.2)
const HEADER = /^<(\d{1,3})>([1-9]\d?) (\S+) (\S{1,255}) (\S{1,48}) (\S{1,128}) (\S{1,32}) /;

type SdElement = { id: string; params: [string, string][] };

/**
 * One RFC 5424 message -> the gateway key and the event of its `conn@32473` element (the API's rules), or why not.
 * Other elements and the MSG are ignored; values are unescaped (`\"`, `\\`, `\]`); an empty value is an absent field.
 */
export function parseSyslogMessage(text: string): SyslogEvent | { error: string } {
  if (text.includes('\u0000')) return { error: 'the message contains a NUL character' };
  const header = HEADER.exec(text);
  if (!header) return { error: 'not an RFC 5424 message (<PRI>VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID)' };
  if (Number(header[1]) > 191) return { error: 'PRI must be 0 to 191' };
  const elements = parseStructuredData(text, header[0].length);
  if (typeof elements === 'string') return { error: elements };
  const conn = elements.filter((e) => e.id === SYSLOG_SD_ID);
  if (!conn.length) return { error: `no [${SYSLOG_SD_ID} ...] structured-data element` };
  if (conn.length > 1) return { error: `more than one [${SYSLOG_SD_ID} ...] structured-data element` };
  const fields: Record<string, string> = {};
  for (const [name, value] of conn[0].params) {
    if (name in fields) return { error: `the parameter ${name} is repeated` };
    fields[name] = value;
  }
  const { apiKey, ...rest } = fields;
  if (!apiKey) return { error: 'the apiKey parameter is required' };
  const event = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== ''));
  const checked = parseEvent(event);
  if (typeof checked === 'string') return { error: checked };
  return { apiKey, event };
}

/** STRUCTURED-DATA = NILVALUE / 1*SD-ELEMENT, starting at `at` (section 6.3). */
function parseStructuredData(text: string, at: number): SdElement[] | string {
  if (text[at] === '-' && (at + 1 === text.length || text[at + 1] === ' ')) return [];
  const elements: SdElement[] = [];
  let i = at;
  while (text[i] === '[') {
    const idEnd = nameEnd(text, i + 1);
    const element: SdElement = { id: text.slice(i + 1, idEnd), params: [] };
    if (!element.id) return 'a structured-data element has no SD-ID';
    i = idEnd;
    while (text[i] === ' ') {
      const nameStop = nameEnd(text, i + 1);
      const name = text.slice(i + 1, nameStop);
      if (!name || text[nameStop] !== '=' || text[nameStop + 1] !== '"') {
        return `malformed parameter in [${element.id}] (name="value" expected)`;
      }
      let value = '';
      let j = nameStop + 2;
      for (; j < text.length && text[j] !== '"'; j++) {
        // RFC 5424 6.3.3: only \" \\ and \] are escapes; any other backslash is kept as it is.
        if (text[j] === '\\' && (text[j + 1] === '"' || text[j + 1] === '\\' || text[j + 1] === ']')) j++;
        value += text[j];
      }
      if (j >= text.length) return `unterminated value of ${name} in [${element.id}]`;
      element.params.push([name, value]);
      i = j + 1;
    }
    if (text[i] !== ']') return `malformed structured-data element [${element.id}]`;
    elements.push(element);
    i++;
  }
  if (!elements.length) return `no structured data (expected [${SYSLOG_SD_ID} ...] or -)`;
  if (i < text.length && text[i] !== ' ') return 'unexpected text after the structured data';
  return elements;
}

/** SD-NAME: printable US-ASCII except '=', SP, ']' and '"', 1 to 32 characters. */
function nameEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length && i - from < 32) {
    const c = text.charCodeAt(i);
    if (c <= 32 || c >= 127 || c === 61 || c === 93 || c === 34) break;
    i++;
  }
  return i;
}
