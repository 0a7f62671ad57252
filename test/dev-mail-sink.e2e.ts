import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { freePort } from '@app/testing';
import { DevMailSink, startDevMailSink } from '../scripts/dev-mail-sink';

describe('Newcomer (issue 16): the zero-setup mail sink of `npm start`', () => {
  const dir = mkdtempSync(join(tmpdir(), 'prestagate-mail-'));
  let sink: DevMailSink;

  beforeAll(async () => {
    sink = (await startDevMailSink(dir, await freePort(), await freePort()))!;
  });
  afterAll(async () => {
    await sink?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every e-mail, also fifty sent at once over ten connections', async () => {
    const transports = Array.from({ length: 10 }, () => createTransport({ url: sink.url, pool: true, maxConnections: 1 }));
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        transports[i % 10].sendMail({ from: 'noreply@prestagate.test', to: `person${i}@example.test`, subject: `Message ${i}`, text: `n° ${i}` }),
      ),
    );
    transports.forEach((t) => t.close());
    expect(readdirSync(dir).filter((f) => f.endsWith('.eml'))).toHaveLength(50);
    const inbox = await (await fetch(sink.inboxUrl)).text();
    for (let i = 0; i < 50; i++) expect(inbox).toContain(`>Message ${i}<`);
    expect(inbox).toContain('Boîte de démonstration (50)');
  });

  it('shows an invitation decoded, its long link whole and clickable, and nothing of the mail runs as a script', async () => {
    const link = `http://localhost:3000/invitation?token=${'a1b2c3d4='.repeat(12)}&lang=fr`;
    const transport = createTransport({ url: sink.url });
    await transport.sendMail({
      from: 'noreply@prestagate.test',
      to: 'jeanne.martin@medisoft.test',
      subject: 'Invitation <script>alert(1)</script>',
      text: `Bonjour,\nActivez votre compte : ${link}\n`,
      html: `<p>Bonjour, <a href="${link}">activez votre compte</a> avant le 12/12/2026.</p><script>parent.stolen = 1</script>`,
      textEncoding: 'quoted-printable',
    });
    transport.close();
    const inbox = await (await fetch(sink.inboxUrl)).text();
    expect(inbox).not.toContain('<script>alert(1)</script>');
    const path = /href="(\/mail\/[^"]+)">Invitation &#60;script&#62;/.exec(inbox)?.[1];
    expect(path).toBeDefined();
    const page = await (await fetch(new URL(path!, sink.inboxUrl))).text();
    expect(page).toContain('À : jeanne.martin@medisoft.test');
    // The HTML body is in a sandboxed frame (no allow-scripts), its link intact (not split by quoted-printable).
    expect(page).toMatch(/<iframe title="Message" sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc="/);
    expect(page).not.toMatch(/sandbox="[^"]*allow-scripts/);
    expect(page).toContain(`href=&#34;${link.replace(/&/g, '&#38;')}&#34;`);
    expect((await fetch(new URL('/mail/..%2Fetc%2Fpasswd', sink.inboxUrl))).status).toBe(404);
  });
});
