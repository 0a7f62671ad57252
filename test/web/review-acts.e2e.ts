import { Role } from '@app/core';
import { eventually, World } from '@app/testing';
import { checkScreen, confirmAct, consoleErrors, describeConsole, openBrowser, screenshot, signInEnrolled } from './console-harness';

const HOUR = 3_600_000;

/**
 * Issue 16: a binding act is confirmed with its consequence and announced once done. The security contact works the
 * review as one list (keep what was used, remove what was not, one save), ticks the statement and submits; the RSSI
 * reads what certifying will change, certifies, and opens the printable evidence in a new tab.
 */
describeConsole('Web console: a contact attests a review and the RSSI certifies it, each act confirmed (issue 16)', (rig) => {
  it('R-ART34 R-L10N one save for the list, the recommendation from last use, the statement ticked, the certification summary, the printable evidence', async () => {
    const { ctx, smtp, browser } = rig;
    const w = await World.build(ctx, smtp, 'webacts');
    const { resource: pacs, accounts: [alice, bruno] } = await w.staffedResource('PACS Actes', 'pacs-actes', [['Alice', 'Utilise'], ['Bruno', 'Dormant']]);
    // Alice connects through the bastion during the period; Bruno never does.
    const key = await w.gatewayKey();
    const now = ctx.clock.now().getTime();
    await w.approvedWindow([alice.id], [pacs], new Date(now - HOUR), new Date(now + 2 * HOUR));
    await ctx.http.post('/v1/access-decisions').set('X-Api-Key', key).send({ account: alice.id, resource: pacs }).expect(200);
    await eventually(() => ctx.query(`SELECT 1 FROM access_decisions WHERE account_id = $1`, [alice.id]), (rows) => rows.length === 1);
    const rssi = await ctx.createUser({ tenantId: w.tenantId, roles: [Role.Rssi], enrolled: true });
    await ctx.http.post('/v1/reviews').set(w.dsi.auth).send({ contractorId: w.contractorId }).expect(201);

    const contact = await ctx.createUser({ tenantId: w.tenantId, contractorId: w.contractorId, roles: [Role.SecurityContact], enrolled: true });
    const { context, page } = await openBrowser(browser, ctx);
    await signInEnrolled(page, rig, '/reviews', contact);
    // The campaign list names the company.
    await page.getByRole('link', { name: `${w.name} SAS` }).click();
    await page.getByRole('heading', { name: `Revue d’accès : ${w.name} SAS` }).waitFor();
    await page.getByText('0 / 4 décidés').waitFor();
    const submit = page.getByRole('button', { name: 'Transmettre l’attestation' });
    expect(await submit.isDisabled()).toBe(true);
    await page.getByText('Décidez chaque ligne puis enregistrez la liste pour pouvoir transmettre.').waitFor();

    // Keep what was used, follow the recommendation for the unused account, then one save for the list.
    await page.getByText(/1 compte\(s\) sans aucune utilisation depuis le/).waitFor();
    await page.getByRole('button', { name: 'Conserver tous les accès utilisés' }).click();
    await page.getByRole('button', { name: 'Retirer les comptes inutilisés' }).click();
    await page.getByText('4 décision(s) non enregistrée(s) : enregistrez la liste avant de transmettre.').waitFor();
    await page.getByText('4 / 4 décidés').waitFor();
    expect(await submit.isDisabled()).toBe(true);
    await checkScreen(page, 'contact-review-decided');
    await page.getByRole('button', { name: 'Enregistrer les décisions' }).click();
    await page.locator('.act-status').getByText('4 décision(s) enregistrée(s).').waitFor();
    const decisions = await ctx.query<{ first: string; kind: string; decision: string }>(
      `SELECT snapshot->>'firstName' AS first, kind, decision FROM review_items ORDER BY 1, 2`);
    expect(decisions.map((d) => `${d.first} ${d.kind} ${d.decision}`)).toEqual([
      'Alice account keep', 'Alice habilitation keep', 'Bruno account remove', 'Bruno habilitation remove']);

    // The attestation: the statement must be ticked; Escape cancels and nothing is sent.
    await submit.click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(`L’attestation de ${w.name} SAS sera transmise au RSSI`).waitFor();
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Annuler');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await submit.click();
    const send = dialog.locator('button[type="submit"]');
    expect(await send.isDisabled()).toBe(true);
    await dialog.getByRole('checkbox', { name: new RegExp(`^J’atteste, pour ${w.name} SAS, que cette liste est exacte et complète`) }).check();
    await checkScreen(page, 'contact-review-attestation');
    expect(await confirmAct(page, /sera transmise au RSSI/)).toContain('Attestation transmise au RSSI.');
    await page.getByText('Déclaration attestée').waitFor();
    const [stored] = await ctx.query<{ statement: string; by: string }>(`SELECT attestation_statement AS statement, submitted_by AS by FROM review_campaigns`);
    expect(stored.by).toBe(contact.id);
    expect(stored.statement).toMatch(new RegExp(`^J’atteste, pour ${w.name} SAS, que cette liste est exacte et complète au \\d\\d/\\d\\d/\\d{4}`));
    expect(consoleErrors(page)).toEqual([]);
    await context.close();

    // The RSSI reads what certifying will do, then certifies: Bruno's account goes.
    const second = await openBrowser(browser, ctx);
    await signInEnrolled(second.page, rig, '/reviews', rssi);
    await second.page.getByRole('region', { name: 'Campagnes à certifier' }).getByRole('link', { name: 'Examiner' }).click();
    await second.page.getByRole('button', { name: 'Certifier la revue' }).click();
    const summary = second.page.getByRole('dialog');
    await summary.getByRole('heading', { name: 'Comptes désactivés (1)' }).waitFor();
    expect(await summary.getByRole('listitem').allTextContents()).toEqual(['Bruno Dormant — compte (et ses habilitations)']);
    await summary.getByText('Les 2 autres lignes sont conservées sans changement.').waitFor();
    await checkScreen(second.page, 'rssi-review-certification-summary');
    expect(await confirmAct(second.page, `La revue de ${w.name} SAS sera certifiée ; les décisions ci-dessous seront appliquées maintenant.`))
      .toContain('Revue certifiée');
    expect((await ctx.http.get(`/v1/accounts/${bruno.id}`).set(w.dsi.auth).expect(200)).body.status).toBe('deactivated');

    // The printable evidence opens in a new tab, in French, ready to print.
    const [tab] = await Promise.all([second.context.waitForEvent('page'), second.page.getByRole('button', { name: 'Preuve imprimable (HTML)' }).click()]);
    await tab.waitForURL(/^blob:/);
    await tab.getByRole('heading', { name: `Revue annuelle des accès — ${w.name} SAS` }).waitFor();
    await tab.getByText('Déclaration cochée').waitFor();
    expect(await tab.evaluate("[...document.styleSheets].some((s) => [...s.cssRules].some((r) => r.cssText.startsWith('@media print')))")).toBe(true);
    await screenshot(tab, 'rssi-review-evidence-printable');
    expect(consoleErrors(second.page)).toEqual([]);
    await second.context.close();
  }, 300_000);
});
