import { createHmac } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Role } from '@app/core';
import { WEBHOOK_EVENTS } from '@app/notifications';
import { World } from '@app/testing';
import { checkScreen, confirmAct, consoleErrors, describeConsole, fieldError, menu, openBrowser, screenshot, signInEnrolled } from './console-harness';

/** A downstream system (SIEM): a real HTTP server on 127.0.0.1 that records what it receives and answers 200. */
async function startReceiver(): Promise<{ server: Server; url: string; received: { headers: IncomingHttpHeaders; body: string }[] }> {
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/siem`, received };
}

async function until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !check();) {
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describeConsole('Web console: the DSI manages the gateways\' API keys and the webhooks (issue 9)', (rig) => {
  it('R-ART36 the DSI creates a key with the decisions scope, shown once with a copy button: it is answered 200 by POST /v1/access-decisions, then refused (401) once revoked', async () => {
    const { ctx } = rig;
    const w = await World.build(ctx, rig.smtp, 'webkeys');
    const resourceId = await w.resource('PACS', 'pacs');
    const dsi = await ctx.createUser({ tenantId: w.tenantId, roles: [Role.Dsi], enrolled: true });
    const { context, page } = await openBrowser(rig.browser, ctx);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: rig.baseUrl });
    await signInEnrolled(page, rig, '/contractors', dsi);
    await menu(page, 'Clés d’API').click();
    await page.getByRole('heading', { name: 'Clés d’API des passerelles', level: 1 }).waitFor();
    await page.getByText('Aucune clé.').waitFor();

    // No scope ticked: the API's message beside the scopes.
    await page.getByLabel('Nom', { exact: true }).fill('Bastion Wallix');
    await page.getByRole('button', { name: 'Créer la clé' }).click();
    await page.getByRole('group', { name: 'Portées' }).locator('.field-error').waitFor();

    // The scopes offered are the API's (OpenAPI document): decisions and connections.
    await page.getByRole('group', { name: 'Portées' }).getByLabel('Décisions d’accès').check();
    await page.getByRole('button', { name: 'Créer la clé' }).click();
    const shown = page.getByRole('region', { name: 'Clé « Bastion Wallix »' });
    await shown.getByText(/affichée une seule fois/).waitFor();
    const key = (await shown.locator('code').textContent())!;
    expect(key).toMatch(/^pgk_/);
    await shown.getByRole('button', { name: 'Copier' }).click();
    await shown.getByText('Valeur copiée dans le presse-papiers.').waitFor();
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(key);
    const row = page.getByRole('row', { name: /Bastion Wallix/ });
    await row.getByText('Décisions d’accès').waitFor();
    await row.getByText('Jamais').waitFor();
    await checkScreen(page, 'dsi-api-keys');

    // The key works for the decisions route (the decision itself is the API's: this account does not exist).
    const body = { account: '00000000-0000-4000-8000-000000000001', resource: resourceId };
    const answered = await ctx.http.post('/v1/access-decisions').set('X-Api-Key', key).send(body);
    expect(answered.status).toBe(200);
    expect(answered.body.decision).toBe('deny');

    // Shown once: after a reload only its public prefix remains.
    await page.reload();
    await page.getByRole('row', { name: /Bastion Wallix/ }).waitFor();
    expect(await page.getByText(key).count()).toBe(0);

    await page.getByRole('row', { name: /Bastion Wallix/ }).getByRole('button', { name: 'Révoquer' }).click();
    expect(await confirmAct(page, 'Révoquer la clé « Bastion Wallix » ? La passerelle sera refusée aussitôt.')).toContain('Clé « Bastion Wallix » révoquée.');
    await page.getByRole('row', { name: /Bastion Wallix/ }).getByText(/Révoquée le/).waitFor();
    expect((await ctx.http.post('/v1/access-decisions').set('X-Api-Key', key).send(body)).status).toBe(401);
    expect(consoleErrors(page)).toEqual([]);
  });

  it('R-NOT the DSI subscribes a receiver (a private address refused beside the URL), the secret shown once signs the delivery seen in the log, rotates the secret, revokes; the RSSI reads the list', async () => {
    const { ctx } = rig;
    const receiver = await startReceiver();
    try {
      const w = await World.build(ctx, rig.smtp, 'webhooks');
      const account = await w.activeAccount('Paul', 'Siem');
      const dsi = await ctx.createUser({ tenantId: w.tenantId, roles: [Role.Dsi], enrolled: true });
      const { page } = await openBrowser(rig.browser, ctx);
      await signInEnrolled(page, rig, '/contractors', dsi);
      await menu(page, 'Webhooks').click();
      await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();

      // A private address (not in WEBHOOK_ALLOWED_NETWORKS): the API's 400 message beside the URL field.
      await page.getByLabel('URL de destination').fill('https://10.0.0.5/siem');
      await page.getByRole('group', { name: 'Événements' }).getByLabel(/account\.suspended/).check();
      await page.getByRole('button', { name: 'Abonner' }).click();
      await page.locator('.field-invalid').first().waitFor();
      expect(await fieldError(page, 'URL de destination')).toMatch(/private/);
      expect(await ctx.query('SELECT 1 FROM webhooks WHERE tenant_id = $1', [w.tenantId])).toHaveLength(0);

      // The events offered are the API's known events.
      const offered = await page.getByRole('group', { name: 'Événements' }).getByRole('checkbox').count();
      expect(offered).toBe(WEBHOOK_EVENTS.length);

      await page.getByLabel('URL de destination').fill(receiver.url);
      await page.getByRole('button', { name: 'Abonner' }).click();
      const shown = page.getByRole('region', { name: `Secret de signature de ${receiver.url}` });
      await shown.getByText(/affichée une seule fois/).waitFor();
      const secret = (await shown.locator('code').textContent())!;
      expect(secret).toMatch(/^whsec_/);
      const item = page.getByRole('listitem', { name: receiver.url });
      await item.getByText(/Compte suspendu/).waitFor();
      await checkScreen(page, 'dsi-webhooks');

      // An account suspended: the receiver gets the event, signed with the secret the console showed.
      await ctx.http.post(`/v1/accounts/${account.id}/suspend`).set(w.dsi.auth).send({ reason: 'Poste compromis' }).expect(200);
      await until(() => receiver.received.length > 0, 'a delivery');
      const [delivery] = receiver.received;
      const signed = `sha256=${createHmac('sha256', secret).update(`${delivery.headers['x-prestagate-timestamp']}.${delivery.body}`).digest('hex')}`;
      expect(delivery.headers['x-prestagate-signature']).toBe(signed);

      // The delivery log: attempt 1, 200.
      await item.getByText('Journal des envois').click();
      const log = item.getByRole('table', { name: 'Journal des envois' });
      for (let i = 0; i < 50 && !(await log.count()); i++) {
        await item.getByRole('button', { name: 'Actualiser' }).click();
        await page.waitForTimeout(200);
      }
      const attempt = log.getByRole('row').nth(1);
      await attempt.getByRole('cell', { name: '200' }).waitFor();
      await attempt.getByRole('cell', { name: '1', exact: true }).waitFor();
      await checkScreen(page, 'dsi-webhooks-deliveries');

      // A bad grace period: the API's message beside the field; then a rotation, the new secret shown once.
      await item.getByText('Renouveler le secret').click();
      await item.getByLabel('Période de grâce (heures)').fill('500');
      await item.getByRole('button', { name: 'Renouveler', exact: true }).click();
      await item.locator('.field-invalid').waitFor();
      expect(await item.locator('.field-error').textContent()).toContain('La période de grâce (heures) ne doit pas dépasser 168.');
      await item.getByLabel('Période de grâce (heures)').fill('24');
      await item.getByRole('button', { name: 'Renouveler', exact: true }).click();
      const rotated = item.getByRole('region', { name: `Nouveau secret de signature de ${receiver.url}` });
      await rotated.getByText(/affichée une seule fois/).waitFor();
      const newSecret = (await rotated.locator('code').textContent())!;
      expect(newSecret).toMatch(/^whsec_/);
      expect(newSecret).not.toBe(secret);
      await item.getByText(/l’ancien secret signe aussi jusqu’au/).waitFor();

      await item.getByRole('button', { name: 'Révoquer' }).click();
      await confirmAct(page, /^Révoquer le webhook .* \? Plus rien ne lui sera envoyé/);
      await item.getByText(/Révoqué le/).waitFor();
      const [row] = await ctx.query<{ revoked_at: Date | null }>('SELECT revoked_at FROM webhooks WHERE tenant_id = $1', [w.tenantId]);
      expect(row.revoked_at).not.toBeNull();
      expect(consoleErrors(page)).toEqual([]);

      // The RSSI reads the list (GET /v1/webhooks allows it), without the DSI's actions.
      const rssi = await ctx.createUser({ tenantId: w.tenantId, roles: [Role.Rssi], enrolled: true });
      const other = await openBrowser(rig.browser, ctx);
      await signInEnrolled(other.page, rig, '/webhooks', rssi);
      await other.page.getByRole('listitem', { name: receiver.url }).waitFor();
      expect(await other.page.getByRole('button', { name: 'Abonner' }).count()).toBe(0);
      expect(await other.page.getByRole('button', { name: 'Révoquer' }).count()).toBe(0);
      expect(consoleErrors(other.page)).toEqual([]);
    } finally {
      receiver.server.closeAllConnections();
      await new Promise((resolve) => receiver.server.close(resolve));
    }
  }, 120_000);
});
