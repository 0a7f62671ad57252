import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Zero-setup only: when no SMTP_URL is given, a local SMTP receiver writes every e-mail the
 * worker sends to .data/mail/*.eml, so invitations and alerts can be read without a mail server.
 * (smtp-server is a development dependency; with `npm ci --omit=dev` set SMTP_URL instead.)
 */
export async function startDevMailSink(dir: string, port: number): Promise<{ url: string; stop(): Promise<void> } | null> {
  let SMTPServer: typeof import('smtp-server').SMTPServer;
  try {
    ({ SMTPServer } = await import('smtp-server'));
  } catch {
    return null;
  }
  mkdirSync(dir, { recursive: true });
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        writeFileSync(join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}.eml`), Buffer.concat(chunks));
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return { url: `smtp://127.0.0.1:${port}`, stop: () => new Promise((r) => server.close(() => r())) };
}
