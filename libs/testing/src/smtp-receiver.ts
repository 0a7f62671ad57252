import { SMTPServer } from 'smtp-server';
import { freePort } from './waiting';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  subject: string;
  messageId: string;
}

/** A real SMTP server on a free local port that records what it receives; it can be stopped and restarted on the same port (see listen). */
export class SmtpReceiver {
  readonly mails: ReceivedMail[] = [];
  private server?: SMTPServer;
  port = 0;
  /** While set, a message is accepted (and recorded) only once this settles: a slow mail server, for tests of work in progress. */
  hold?: (raw: string) => Promise<void>;

  static async start(): Promise<SmtpReceiver> {
    const receiver = new SmtpReceiver();
    await receiver.listen();
    return receiver;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async listen(): Promise<void> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          // A failed hold fails this SMTP transaction rather than leaving an unhandled rejection.
          (this.hold?.(raw) ?? Promise.resolve()).then(() => {
            this.mails.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
              raw,
              subject: decodeHeader(/^Subject: (.*(?:\r?\n[ \t].*)*)/im.exec(raw)?.[1] ?? ''),
              messageId: /^Message-ID: (.*)$/im.exec(raw)?.[1]?.trim() ?? '',
            });
            callback();
          }, (error: Error) => callback(error));
        });
      },
    });
    // A port below the ephemeral range (freePort), not one the system hands out: while a test has the
    // receiver stopped, no outgoing connection of this machine can take the port it must listen on again.
    if (!this.port) this.port = await freePort();
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.port, '127.0.0.1', () => resolve());
    });
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  to(address: string): ReceivedMail[] {
    return this.mails.filter((m) => m.to.includes(address));
  }

  /** Polls until `count` mails reached `address` (the worker sends them in the background). */
  waitFor(address: string, count = 1, timeoutMs = 15_000): Promise<ReceivedMail[]> {
    return this.waitForMatching(address, () => true, count, timeoutMs);
  }

  /** Same, counting only the mails whose subject starts with `prefix`. */
  /** `naming`: only the mails whose subject also contains it (an establishment's name, say). */
  waitForSubject(address: string, prefix: string, count = 1, timeoutMs = 15_000, naming = ''): Promise<ReceivedMail[]> {
    return this.waitForMatching(address, (m) => m.subject.startsWith(prefix) && m.subject.includes(naming), count, timeoutMs);
  }

  private async waitForMatching(
    address: string, match: (m: ReceivedMail) => boolean, count: number, timeoutMs: number,
  ): Promise<ReceivedMail[]> {
    const deadline = Date.now() + timeoutMs;
    const matching = () => this.to(address).filter(match);
    while (Date.now() < deadline) {
      if (matching().length >= count) return matching();
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`Expected ${count} matching mail(s) to ${address}, got ${matching().length}`);
  }
}

/** Decodes RFC 2047 encoded words (nodemailer encodes accented subjects). */
export function decodeHeader(value: string): string {
  return value.replace(/\r?\n[ \t]/g, ' ').replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_, enc: string, text: string) =>
    enc.toLowerCase() === 'b'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, hexByte), 'latin1').toString('utf8'),
  ).trim();
}

/** Decodes a quoted-printable body, enough to read the text of a mail. */
export function bodyOf(raw: string): string {
  const body = raw.split(/\r?\n\r?\n/).slice(1).join('\n\n');
  return Buffer.from(body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, hexByte), 'latin1').toString('utf8');
}

/** One `=XX` escape of quoted-printable text, as the byte it stands for. */
function hexByte(_match: string, hex: string): string {
  return String.fromCharCode(parseInt(hex, 16));
}
