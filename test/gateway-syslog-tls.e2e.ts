import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { eventually, freePort, SignedIn, TestContext } from '@app/testing';
import { makeCertificates, makeClientCertificate, PRESTAGATE_NAME } from './support/rsyslog';

describe('R-GW R-ART41 the syslog listener on TLS (RFC 5425) with client certificates (SYSLOG_TLS_CA)', () => {
  let ctx: TestContext;
  let dsi: SignedIn;
  let key: string;
  let port: number;
  let dir: string;
  let ca: string;

  /** One octet-counted message over TLS, with or without a client certificate; resolves once the connection is over. */
  function send(eventId: string, client?: { cert: string; key: string }): Promise<void> {
    const message = `<134>1 ${new Date().toISOString()} bastion-1 sshd - - [conn@32473 apiKey="${key}" eventId="${eventId}" `
      + `account="jean.dupont@biomed.test" resource="pacs-01" startedAt="${ctx.clock.now().toISOString()}" outcome="success"] session`;
    return new Promise((done) => {
      const socket = connect({
        port, host: '127.0.0.1', servername: PRESTAGATE_NAME, ca: readFileSync(ca),
        ...(client ? { cert: readFileSync(client.cert), key: readFileSync(client.key) } : {}),
      }, () => socket.end(`${Buffer.byteLength(message)} ${message}`));
      socket.on('error', () => done());
      socket.on('close', () => done());
    });
  }
  const stored = async (eventId: string) => (await ctx.query(`SELECT 1 FROM connection_events WHERE event_id = $1`, [eventId])).length;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'prestagate-tls-'));
    const tls = makeCertificates(dir);
    ca = tls.ca;
    port = await freePort();
    ctx = await TestContext.start({
      env: { SYSLOG_TLS_PORT: String(port), SYSLOG_TLS_CERT: tls.cert, SYSLOG_TLS_KEY: tls.key, SYSLOG_TLS_CA: tls.ca },
    });
    ({ dsi } = await ctx.tenantWithDsi());
    key = (await ctx.http.post('/v1/api-keys').set(dsi.auth).send({ name: 'Bastion', scopes: ['connections'] }).expect(201)).body.key;
  }, 120_000);
  afterAll(async () => {
    await ctx?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('R-GW a gateway with a certificate the CA signed is read; one without a certificate is refused at the handshake', async () => {
    await send('tls-anonymous');
    await send('tls-signed', makeClientCertificate(dir, 'bastion-1'));
    expect(await eventually(() => stored('tls-signed'), (n) => n === 1, 30_000)).toBe(1);
    // Both were sent before the signed one was stored: the anonymous one had its chance.
    expect(await stored('tls-anonymous')).toBe(0);
  }, 120_000);
});
