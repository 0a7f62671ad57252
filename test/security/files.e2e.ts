import { pdf, SmtpReceiver, TestContext, World } from '@app/testing';
import type { Response } from 'supertest';
import { describeApi } from '../support/describe-api';

const HTML = Buffer.from('<!doctype html><html><body><script>fetch("/v1/me").then(r=>r.text()).then(alert)</script></body></html>');
/** Valid PDF bytes that also carry markup: what a sniffing browser could run as a page. */
const POLYGLOT = Buffer.concat([pdf('polyglot'), Buffer.from('\n<html><script>alert(document.domain)</script></html>\n')]);

/** A stored file comes back as a download that no browser renders: PDF, attachment, nosniff, a .pdf name. */
function expectInertDownload(res: Response, bytes: Buffer): string {
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('application/pdf');
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  const disposition = String(res.headers['content-disposition']);
  expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]+\.pdf"; filename\*=UTF-8''[A-Za-z0-9%._~!$&+,;=:@-]+$/i);
  expect(disposition).not.toMatch(/[\r\n]/);
  expect(Buffer.compare(res.body as Buffer, bytes)).toBe(0);
  return decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(disposition)![1]);
}

describeApi('Security suite: uploaded files are never served as something a browser runs (R-ART2, R-ART10)', {}, (rig) => {
  let smtp: SmtpReceiver;
  let ctx: TestContext;
  let w: World;
  const binary = (res: Response, cb: (e: Error | null, b: Buffer) => void) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => cb(null, Buffer.concat(chunks)));
  };

  beforeAll(async () => {
    ({ ctx, smtp } = rig);
    w = await World.build(ctx, smtp, 'files');
  });

  const uploadDocument = (file: Buffer, filename: string, contentType: string) => ctx.http.post('/v1/documents').set(w.dsi.auth)
    .field('kind', 'security_referential').field('versionLabel', `r-${Math.random().toString(36).slice(2, 8)}`).field('effectiveOn', w.today())
    .attach('file', file, { filename, contentType });
  const countFiles = async () => Number((await ctx.query<{ n: string }>(`SELECT count(*) AS n FROM files`))[0].n);

  it('R-ART2 an HTML upload is refused whatever it claims to be, and nothing is stored', async () => {
    const before = await countFiles();
    for (const [filename, type] of [['page.html', 'text/html'], ['charte.pdf', 'application/pdf'], ['image.svg', 'image/svg+xml']]) {
      const res = await uploadDocument(filename === 'image.svg' ? Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>') : HTML, filename, type);
      expect({ filename, status: res.status, type: res.headers['content-type'] }).toEqual({ filename, status: 415, type: expect.stringContaining('application/problem+json') });
      expect(res.body.code).toBe('FILE_NOT_PDF');
    }
    const signed = await ctx.http.post(`/v1/contractors/${w.contractorId}/signatures`).set(w.securityContact.auth)
      .field('documentId', w.conventionId).field('signerFirstName', 'Claire').field('signerLastName', 'Martin').field('signerFunction', 'Présidente')
      .field('signedOn', w.today()).field('allPagesInitialled', 'true').attach('file', HTML, { filename: 'signed.html', contentType: 'text/html' });
    expect(signed.status).toBe(415);
    expect(await countFiles()).toBe(before);
  });

  it('R-ART2 a PDF claiming to be HTML, with a hostile name, is served back as an inert PDF attachment named .pdf', async () => {
    const names = ['charte.html', 'Cœur "signée"\r\nX-Injected: 1.pdf', '\u202Efdp.exe', '签名 charte.PDF', '../../etc/passwd'];
    for (const filename of names) {
      const bytes = Buffer.concat([POLYGLOT, Buffer.from(filename)]);
      const up = await uploadDocument(bytes, filename, 'text/html');
      expect({ filename, status: up.status }).toEqual({ filename, status: 201 });
      const down = await ctx.http.get(`/v1/documents/${up.body.id}/file`).set(w.dsi.auth).buffer(true).parse(binary);
      const served = expectInertDownload(down, bytes);
      expect(served).not.toMatch(/[\\/"\r\n\u202E]/);
      expect(down.headers['x-injected']).toBeUndefined();
    }
  });

  it('R-ART2 a name outside Latin-1 ("Cœur", CJK) downloads (it used to hang the request) with its exact UTF-8 name', async () => {
    const up = await uploadDocument(pdf('unicode-name'), 'Charte Cœur 签名.pdf', 'application/pdf').expect(201);
    const down = await ctx.http.get(`/v1/documents/${up.body.id}/file`).set(w.dsi.auth).buffer(true).parse(binary).timeout(10_000);
    expect(expectInertDownload(down, pdf('unicode-name'))).toBe('Charte Cœur 签名.pdf');
    expect(down.headers['content-disposition']).toContain('filename="Charte C_ur __.pdf"');
  });

  it('R-ART2 a signed charter uploaded by the contractor as text/html comes back to the DSI as an inert PDF', async () => {
    const bytes = Buffer.concat([POLYGLOT, Buffer.from('signature')]);
    const clauses = (await ctx.http.post('/v1/documents').set(w.dsi.auth).field('kind', 'rgpd_clauses').field('versionLabel', 'rgpd-1')
      .field('effectiveOn', w.today()).attach('file', pdf('rgpd-files'), { filename: 'rgpd.pdf', contentType: 'application/pdf' }).expect(201)).body.id;
    const signed = await ctx.http.post(`/v1/contractors/${w.contractorId}/signatures`).set(w.securityContact.auth)
      .field('documentId', clauses).field('signerFirstName', 'Claire').field('signerLastName', 'Martin').field('signerFunction', 'Présidente')
      .field('signedOn', w.today()).field('allPagesInitialled', 'true').attach('file', bytes, { filename: 'signature.html', contentType: 'text/html' });
    expect(signed.status).toBe(201);
    const down = await ctx.http.get(`/v1/signatures/${signed.body.id}/file`).set(w.dsi.auth).buffer(true).parse(binary);
    expect(expectInertDownload(down, bytes)).toBe('signature.html.pdf');
    expect(down.headers['x-checksum-sha256']).toMatch(/^[0-9a-f]{64}$/);
  });
});
