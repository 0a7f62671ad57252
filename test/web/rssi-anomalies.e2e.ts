import { Role } from '@app/core';
import { World } from '@app/testing';
import { connectionEvent, correlateJournal, ingestEvents } from '../support/journal';
import { checkScreen, confirmAct, consoleErrors, describeConsole, menu, openBrowser, signInEnrolled } from './console-harness';

const HOUR = 3_600_000;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

describeConsole('Web console: the RSSI works an anomaly through, searches the journal, opens an intervention and reads the audit trail in French (issue 16)', (rig) => {
  it('R-ART41 R-AUD R-L10N one row per connection with its severity; acknowledge, assign, close; sessions and recordings; the trail by name', async () => {
    const { ctx, smtp, browser } = rig;
    const w = await World.build(ctx, smtp, 'webanom');
    const { resource: pacs, accounts: [alice] } = await w.staffedResource('PACS Imagerie', 'pacs-anom', [['Alice', 'Martin']]);
    const denis = await w.activeAccount('Denis', 'Lefort');
    await ctx.http.post(`/v1/accounts/${denis.id}/suspend`).set(w.dsi.auth).send({ reason: 'Poste compromis' }).expect(200);
    const windowId = await w.approvedWindow([alice.id], [pacs], new Date(ctx.clock.now().getTime() - 2 * HOUR), new Date(ctx.clock.now().getTime() + HOUR));
    const key = await w.gatewayKey();
    ctx.clock.advance(5 * 60_000);
    const started = new Date(ctx.clock.now().getTime() - 60_000);
    await ingestEvents(ctx, key, [
      // Suspended, no habilitation, no window: three anomalies of one connection.
      connectionEvent('anom-denis', denis.email, 'pacs-anom', started),
      connectionEvent('anom-alice', alice.email, 'pacs-anom', started, { endedAt: new Date(started.getTime() + 600_000).toISOString(), recordingRef: 'rec/anom-alice.cast' }),
    ]);
    await correlateJournal(ctx);

    const rssi = await ctx.createUser({ tenantId: w.tenantId, roles: [Role.Rssi], enrolled: true });
    const { context, page } = await openBrowser(browser, ctx);
    await signInEnrolled(page, rig, '/anomalies', rssi);
    await page.getByRole('heading', { name: 'Anomalies du journal de connexions', level: 1 }).waitFor();

    // One row for Denis's connection, its three kinds listed, one severity; the counts per status above.
    const row = page.getByRole('row', { name: /Denis Lefort/ });
    await row.waitFor();
    expect(await row.count()).toBe(1);
    const text = await row.innerText();
    for (const words of ['Compte inactif', 'Hors périmètre', 'Hors fenêtre', 'Haute', 'À traiter', 'PACS Imagerie']) expect(text).toContain(words);
    await page.getByRole('button', { name: 'À traiter : 1' }).waitFor();
    await checkScreen(page, 'rssi-anomalies-open');

    await row.getByRole('button', { name: 'Prendre en compte' }).click();
    await row.getByText('Anomalie prise en compte.').waitFor();
    await page.getByRole('button', { name: 'Prise en compte : 1' }).waitFor();
    await row.getByLabel('Attribuer à').selectOption(w.dsi.userId);
    await row.getByRole('button', { name: 'Attribuer', exact: true }).click();
    await row.getByText('Anomalie attribuée.').waitFor();
    await row.getByRole('button', { name: 'Clôturer' }).click();
    expect(await confirmAct(page, /L’anomalie sera clôturée avec votre commentaire/, 'Poste isolé, session coupée, mot de passe changé'))
      .toBe('Anomalie clôturée.');
    await page.getByRole('button', { name: 'Clôturée : 1' }).waitFor();
    expect(await row.innerText()).toContain('Clôturée');
    await checkScreen(page, 'rssi-anomalies-closed');
    // The case's own history, one link away.
    await row.getByText('Détails').click();
    await row.getByRole('link', { name: 'Historique dans la piste d’audit' }).click();
    await page.getByText('L’historique d’un seul objet est affiché.').waitFor();
    await page.getByRole('row', { name: /Anomalie prise en compte/ }).waitFor();
    expect(await page.locator('#events tbody tr').count()).toBe(3);

    // The journal, searched by resource: Alice's session with its recording, linked to its intervention.
    await menu(page, 'Journal des connexions').click();
    await page.getByRole('heading', { name: 'Journal des connexions', level: 1 }).waitFor();
    await page.getByLabel('Ressource', { exact: true }).selectOption({ label: 'PACS Imagerie' });
    await page.getByRole('button', { name: 'Filtrer' }).click();
    const session = page.getByRole('row', { name: /Alice Martin/ });
    await session.waitFor();
    expect(await session.innerText()).toContain('rec/anom-alice.cast');
    expect(await page.getByRole('row', { name: /Denis Lefort/ }).innerText()).toContain('Réussie');
    await checkScreen(page, 'rssi-journal');
    await session.getByRole('link', { name: 'Voir l’intervention' }).click();
    await page.getByRole('heading', { name: 'Intervention', level: 1 }).waitFor();
    expect(page.url()).toContain(`/interventions/${windowId}`);
    await page.getByRole('row', { name: /rec\/anom-alice\.cast/ }).waitFor();
    await checkScreen(page, 'rssi-intervention-sessions');

    // The trail of the triage in words: kinds of act in a list, names instead of ids, only what changed.
    await menu(page, 'Piste d’audit').click();
    await page.getByLabel('Type d’acte').selectOption({ label: 'Anomalies' });
    await page.getByRole('button', { name: 'Filtrer' }).click();
    const closed = page.getByRole('row', { name: /Anomalie clôturée/ });
    await closed.waitFor();
    const closedText = await closed.innerText();
    expect(closedText).toContain('Denis Lefort → PACS Imagerie');
    expect(closedText).toContain('Test Person');
    expect(closedText).toMatch(/Statut\s*:\s*prise en compte\s*→\s*clôturée/);
    expect(closedText).toContain('Commentaire');
    await page.getByRole('row', { name: /Anomalie attribuée/ }).waitFor();
    await page.getByRole('row', { name: /Anomalie prise en compte/ }).waitFor();
    const trail = await page.locator('#events table').innerText();
    expect(trail).not.toMatch(UUID);
    expect(trail).not.toMatch(/anomaly\.|acknowledged|closed/);
    await checkScreen(page, 'rssi-audit-french');

    expect(consoleErrors(page)).toEqual([]);
    await context.close();
  }, 240_000);
});
