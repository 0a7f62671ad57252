import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { AddressInfo, Server } from 'node:net';
import { join } from 'node:path';

export interface DevMailSink {
  /** Where the worker sends: smtp://127.0.0.1:<port>. */
  url: string;
  /** The inbox page: http://127.0.0.1:<port>/. */
  inboxUrl: string;
  stop(): Promise<void>;
}

/**
 * Zero-setup only (no SMTP_URL): every e-mail is kept as one .eml file (never overwritten) and shown, decoded, on an
 * inbox page with clickable links. smtp-server and mailparser are development dependencies: null when absent.
 */
export async function startDevMailSink(dir: string, smtpPort: number, inboxPort: number): Promise<DevMailSink | null> {
  let SMTPServer: typeof import('smtp-server').SMTPServer;
  let simpleParser: typeof import('mailparser').simpleParser;
  try {
    ({ SMTPServer } = await import('smtp-server'));
    ({ simpleParser } = await import('mailparser'));
  } catch {
    return null;
  }
  mkdirSync(dir, { recursive: true });
  let sequence = 0;
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        // Sortable by arrival; the sequence and the random part make two mails of one millisecond two files.
        const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${String(++sequence).padStart(6, '0')}-${randomBytes(3).toString('hex')}.eml`;
        try {
          writeFileSync(join(dir, name), Buffer.concat(chunks), { flag: 'wx' });
          callback();
        } catch (error) {
          callback(error as Error);
        }
      });
    },
  });
  await listen(smtp.server, smtpPort);

  const inbox = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://inbox');
      const files = readdirSync(dir).filter((f) => f.endsWith('.eml')).sort().reverse();
      const match = /^\/mail\/([\w.-]+\.eml)$/.exec(url.pathname);
      if (url.pathname === '/') {
        const mails = await Promise.all(files.map(async (f) => ({ file: f, mail: await simpleParser(readFileSync(join(dir, f))) })));
        send(res, 200, inboxPage(mails.map(({ file, mail }) => ({ file, to: mail.to, subject: mail.subject, date: mail.date }))));
      } else if (match && files.includes(match[1])) {
        const mail = await simpleParser(readFileSync(join(dir, match[1])));
        send(res, 200, mailPage({ to: mail.to, subject: mail.subject, date: mail.date, html: mail.html, textAsHtml: mail.textAsHtml }));
      } else {
        send(res, 404, page('Introuvable', '<p>Ce message n’existe pas. <a href="/">Retour à la boîte</a></p>'));
      }
    })().catch((error: unknown) => send(res, 500, page('Erreur', `<pre>${escape(String(error))}</pre>`)));
  });
  await listen(inbox, inboxPort);
  return {
    url: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
    inboxUrl: `http://127.0.0.1:${(inbox.address() as AddressInfo).port}/`,
    stop: async () => {
      await new Promise<void>((r) => smtp.close(() => r()));
      await new Promise<void>((r) => inbox.close(() => r()));
    },
  };
}

type Address = { text: string } | { text: string }[] | undefined;
interface Summary {
  to: Address;
  subject?: string;
  date?: Date;
}

const addressText = (to: Address) => (Array.isArray(to) ? to.map((a) => a.text).join(', ') : (to?.text ?? ''));
const when = (date?: Date) => (date ? date.toLocaleString('fr-FR', { dateStyle: 'short', timeStyle: 'medium' }) : '');

function inboxPage(mails: (Summary & { file: string })[]): string {
  const rows = mails.map((m) => `<tr><td>${escape(when(m.date))}</td><td>${escape(addressText(m.to))}</td>`
    + `<td><a href="/mail/${encodeURIComponent(m.file)}">${escape(m.subject ?? '(sans objet)')}</a></td></tr>`);
  const table = `<table><thead><tr><th>Reçu le</th><th>À</th><th>Objet</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
  return page(`Boîte de démonstration (${mails.length})`, mails.length ? table : '<p>Aucun message pour l’instant.</p>');
}

function mailPage(mail: Summary & { html?: string | false; textAsHtml?: string }): string {
  const body = mail.html
    ? `<iframe title="Message" sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc="${escape(`<base target="_blank">${mail.html}`)}"></iframe>`
    : `<div class="text">${mail.textAsHtml ?? ''}</div>`;
  const head = `<p><a href="/">← Boîte</a></p><p>À : ${escape(addressText(mail.to))}<br>Reçu le ${escape(when(mail.date))}</p>`;
  return page(mail.subject ?? '(sans objet)', head + body);
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${escape(title)}</title><style>`
    + 'body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}td,th{padding:.3rem .6rem;text-align:left}'
    + 'iframe{width:100%;height:70vh;border:1px solid #ccc}.text{white-space:pre-wrap}'
    + `</style></head><body><h1>${escape(title)}</h1>${body}</body></html>`;
}

function send(res: import('node:http').ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'x-content-type-options': 'nosniff' }).end(html);
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
}
