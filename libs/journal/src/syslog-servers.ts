import { readFileSync } from 'node:fs';
import { createServer, Server, Socket } from 'node:net';
import { createSecureContext, TLSSocket } from 'node:tls';

/** The listener's TLS (RFC 5425): PEM files; with a CA, clients must present a certificate it signed. */
export interface SyslogTlsFiles {
  cert: string;
  key: string;
  ca: string | null;
}

/** A TLS handshake not done in this time is cut. */
const HANDSHAKE_MS = 30_000;

/**
 * A syslog port, plain TCP or TLS (RFC 5425: TLS 1.2 or later, then the same RFC 6587 framing), open on `host`. `accept` gets
 * each connection once usable (after the handshake) with its TCP socket (`raw`: the one to reset). Files are read at each opening.
 */
export async function openSyslogServer(
  port: number, host: string, accept: (socket: Socket, raw: Socket) => void, tls?: SyslogTlsFiles,
): Promise<Server> {
  const context = tls && createSecureContext({
    cert: readFileSync(tls.cert), key: readFileSync(tls.key), ca: tls.ca ? readFileSync(tls.ca) : undefined, minVersion: 'TLSv1.2',
  });
  const server = createServer((raw) => {
    raw.on('error', () => raw.destroy());
    if (!context) return accept(raw, raw);
    const socket = new TLSSocket(raw, { isServer: true, secureContext: context, requestCert: !!tls.ca, rejectUnauthorized: !!tls.ca });
    raw.setTimeout(HANDSHAKE_MS, () => raw.destroy());
    socket.on('error', () => raw.destroy());
    socket.once('secure', () => {
      raw.setTimeout(0);
      if (tls.ca && !socket.authorized) return void raw.destroy();
      accept(socket, raw);
    });
  });
  server.maxConnections = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}
