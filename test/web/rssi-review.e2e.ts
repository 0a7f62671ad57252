import { readFileSync } from 'node:fs';
import { Download, Page } from 'playwright-core';
import { JobName, Role } from '@app/core';
import { REVIEW_STATEMENT, TEST_PASSWORD, World } from '@app/testing';
import { JobRegistry } from '../../apps/worker/src/job-registry';
import {
  checkScreen, choosePassword, confirmAct, consoleErrors, describeConsole, localInput, menu, openBrowser, screenshot,
} from './console-harness';

const HOUR = 3_600_000;

async function downloaded(page: Page, click: () => Promise<void>): Promise<{ download: Download; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  return { download, text: readFileSync((await download.path())!, 'utf8') };
}

describeConsole('Web console: the RSSI certifies a review, reads the anomalies, exports the journal and checks the audit trail (issue 9)', (rig) => {
  it('R-ART34 R-ART41 R-AUD R-POL the RSSI signs in with TOTP, certifies the attested campaign, gets its evidence, sees an anomaly, exports the journal, verifies the trail and changes their password', async () => {
    const { ctx, smtp, browser, baseUrl } = rig;
    const w = await World.build(ctx, smtp, 'webrssi');
    const pacs = await w.resource('PACS Revue', 'pacs-revue');
    const alice = await w.activeAccount('Alice', 'Revue');
    await w.habilitate(alice.id, pacs);

    // The campaign is opened and the contractor's security contact attests every item, then submits (R-ART34).
    const campaign = (await ctx.http.post('/v1/reviews').set(w.dsi.auth).send({ contractorId: w.contractorId }).expect(201)).body;
    const items: { id: string }[] = (await ctx.http.get(`/v1/reviews/${campaign.id}`).set(w.securityContact.auth).expect(200)).body.items;
    for (const item of items) await ctx.http.post(`/v1/reviews/${campaign.id}/items/${item.id}`).set(w.securityContact.auth).send({ decision: 'keep' }).expect(200);
    await ctx.http.post(`/v1/reviews/${campaign.id}/submit`).set(w.securityContact.auth).send(REVIEW_STATEMENT).expect(200);

    // A gateway reports a session outside any window: correlation makes it an anomaly (R-ART41).
    const key = await w.gatewayKey();
    const startedAt = new Date(ctx.clock.now().getTime() - HOUR);
    await ctx.http.post('/v1/connection-events').set('X-Api-Key', key).send([{
      eventId: 'web-s-1', account: alice.email, resource: 'pacs-revue', sourceIp: '192.0.2.10', startedAt: startedAt.toISOString(),
      endedAt: new Date(startedAt.getTime() + 600_000).toISOString(), outcome: 'success', recordingRef: 'rec/web-s-1.cast',
    }]).expect(200);
    await ctx.worker!.get(JobRegistry).dispatch(JobName.JournalCorrelate, {}, { attempt: 1 });

    // The RSSI, already enrolled, signs in with a code of the app.
    const rssi = await ctx.createUser({ tenantId: w.tenantId, roles: [Role.Rssi], enrolled: true });
    const { context, page } = await openBrowser(browser, ctx);
    await page.goto(`${baseUrl}/reviews`);
    await page.getByLabel('Adresse e-mail').waitFor();
    await checkScreen(page, 'rssi-sign-in');
    await page.getByLabel('Adresse e-mail').fill(rssi.email);
    await page.getByLabel('Mot de passe').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Continuer' }).click();
    await page.getByLabel('Code à 6 chiffres').fill(await ctx.totp(rssi.totpSecret!));
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { name: 'Revues d’accès', level: 1 }).waitFor();

    // The dashboard: one campaign waiting for certification.
    const toCertify = page.getByRole('region', { name: 'Campagnes à certifier' });
    await toCertify.getByRole('row', { name: new RegExp(`${w.name} SAS`) }).waitFor();
    await checkScreen(page, 'rssi-reviews-dashboard');
    await toCertify.getByRole('link', { name: 'Examiner' }).click();
    await page.getByRole('heading', { name: `Revue d’accès : ${w.name} SAS` }).waitFor();
    await page.getByText('2 / 2 décidés').waitFor();
    expect(await page.getByRole('row', { name: /Alice Revue/ }).count()).toBe(2); // the account and its habilitation
    await checkScreen(page, 'rssi-review-to-certify');
    await page.getByRole('button', { name: 'Certifier la revue' }).click();
    await page.getByRole('dialog').getByText('Aucun retrait ni changement : tout est conservé.').waitFor();
    expect(await confirmAct(page, `La revue de ${w.name} SAS sera certifiée ; les décisions ci-dessous seront appliquées maintenant.`))
      .toContain('Revue certifiée : les décisions sont appliquées.');
    await page.locator('.summary').getByText('certifiée', { exact: true }).waitFor();
    const evidence = await downloaded(page, () => page.getByRole('button', { name: 'Preuve CSV' }).click());
    const local = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(ctx.clock.now());
    expect(evidence.download.suggestedFilename()).toBe(`revue-${w.name}-sas-${local}.csv`);
    expect(evidence.text).toContain('Alice');
    expect(evidence.text).toContain('PACS Revue');
    await checkScreen(page, 'rssi-review-certified', { expand: true });

    // The anomalies feed, filtered by kind.
    await menu(page, 'Anomalies').click();
    await page.getByLabel('Type').selectOption('outside_window');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    const anomaly = page.getByRole('row', { name: /Hors fenêtre/ });
    await anomaly.waitFor();
    expect(await anomaly.textContent()).toContain(alice.email);
    await checkScreen(page, 'rssi-anomalies', { expand: true });

    // R-ART41: an export is requested with its reason, then downloaded by its requester.
    await menu(page, 'Exports du journal').click();
    await page.getByLabel('Du', { exact: true }).fill(localInput(new Date(startedAt.getTime() - HOUR)));
    await page.getByLabel('Au', { exact: true }).fill(localInput(new Date(ctx.clock.now().getTime() + HOUR)));
    await page.getByLabel('Format').selectOption('csv');
    await page.getByLabel('Motif').fill('Enquête sur une connexion hors fenêtre');
    await page.getByRole('button', { name: 'Demander l’export' }).click();
    await page.getByText('Export prêt à être téléchargé.').waitFor();
    const journal = await downloaded(page, () => page.getByRole('button', { name: 'Télécharger' }).click());
    expect(journal.text.split('\r\n')[0]).toContain('eventId');
    expect(journal.text).toContain('web-s-1');
    expect(journal.text).toContain('rec/web-s-1.cast');
    await checkScreen(page, 'rssi-journal-export');

    // R-AUD: the trail, its chain verified, shows the certification and the export request.
    await menu(page, 'Piste d’audit').click();
    await page.getByText('Chaîne intègre').waitFor();
    await page.getByRole('cell', { name: 'Revue certifiée' }).waitFor();
    await page.getByRole('cell', { name: 'Export du journal demandé' }).waitFor();
    await checkScreen(page, 'rssi-audit-trail');

    // English on request, remembered by the browser.
    // The language buttons and the person's own link are the page header's: the page's content (an audit
    // trail naming people, a button whose name holds "en") must not match them.
    const header = page.getByRole('banner');
    await header.getByRole('button', { name: 'EN', exact: true }).click();
    await page.getByRole('heading', { name: 'Audit trail', level: 1 }).waitFor();
    await page.reload();
    await page.getByText('Chain intact').waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('en');
    await header.getByRole('button', { name: 'FR', exact: true }).click();

    // The RSSI's own account: the password policy's message sits next to the new password.
    await header.getByRole('link', { name: /^Test Person/ }).click();
    await page.getByRole('heading', { name: 'Mon compte', level: 1 }).waitFor();
    await page.getByLabel('Mot de passe actuel').fill(TEST_PASSWORD);
    await choosePassword(page, 'Changer le mot de passe', 'rssi-account-password-refused', 'Rssi-New-Pass-2026!');
    await page.getByText('Mot de passe changé ; vos autres sessions sont fermées.').waitFor();
    await ctx.http.post('/v1/auth/login').send({ email: rssi.email, password: 'Rssi-New-Pass-2026!' }).expect(200);

    // What the browser showed is what the API holds.
    const [certified] = await ctx.query<{ status: string; certified_by: string }>(`SELECT status, certified_by FROM review_campaigns WHERE id = $1`, [campaign.id]);
    expect(certified).toEqual({ status: 'certified', certified_by: rssi.id });
    const exports = await ctx.query<{ reason: string; downloads: number }>(`SELECT reason, downloads FROM connection_exports WHERE tenant_id = $1`, [w.tenantId]);
    expect(exports).toEqual([{ reason: 'Enquête sur une connexion hors fenêtre', downloads: 1 }]);
    expect(consoleErrors(page)).toEqual([]);
    await context.close();
  }, 240_000);
});
