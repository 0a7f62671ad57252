import { readFileSync } from 'node:fs';
import { createServer, Server, Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';

/** The listener's TLS (RFC 5425): PEM files; with a CA, clients must present a certificate it signed. */
export interface SyslogTlsFiles {
  cert: string;
  key: string;
  ca: string | null;
}

/**
 * A syslog port, plain TCP or TLS (RFC 5425: TLS 1.2 or later, then the same RFC 6587 framing), open on `host`. `accept` gets
 * each connection once usable (after the handshake) with its TCP socket (`raw`: the one to reset). Files are read at each opening.
 */
export async function openSyslogServer(
  port: number, host: string, accept: (socket: Socket, raw: Socket | undefined) => void, tls?: SyslogTlsFiles,
): Promise<Server> {
  const server = tls ? tlsServer(tls, accept) : createServer((raw) => accept(raw, raw));
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

/** Node's TLS server (it checks client certificates); each TLS socket is given the TCP socket it came in on, by peer address. */
function tlsServer(tls: SyslogTlsFiles, accept: (socket: Socket, raw: Socket | undefined) => void): Server {
  const raws = new Map<string, Socket>();
  const peer = (s: Socket) => `${s.remoteAddress}|${s.remotePort}`;
  const server = createTlsServer({
    cert: readFileSync(tls.cert), key: readFileSync(tls.key), ca: tls.ca ? readFileSync(tls.ca) : undefined,
    requestCert: !!tls.ca, rejectUnauthorized: !!tls.ca, minVersion: 'TLSv1.2', handshakeTimeout: 30_000,
  }, (socket) => accept(socket, raws.get(peer(socket))));
  server.on('connection', (raw: Socket) => {
    const key = peer(raw);
    raws.set(key, raw);
    raw.once('close', () => raws.delete(key));
  });
  server.on('tlsClientError', () => undefined); // a failed handshake: the socket is destroyed, nothing to read
  return server;
}
