import { Locator } from 'playwright-core';
import { Role } from '@app/core';
import { bodyOf } from '@app/testing';
import { checkScreen, confirmAct, consoleErrors, describeConsole, fieldError, menu, openBrowser, screenshot, signInEnrolled } from './console-harness';

/** The new establishment's form with a name too short, no preset and an address that is none: three field errors. */
async function submitThreeErrors(create: Locator): Promise<void> {
  await create.getByLabel('Nom de l’établissement', { exact: true }).fill('X');
  await create.getByLabel('Prénom', { exact: true }).fill('Ada');
  await create.getByLabel('Nom', { exact: true }).fill('Lovelace');
  await create.getByLabel('Adresse e-mail', { exact: true }).fill('pas-une-adresse');
  await create.getByRole('button', { name: 'Créer l’établissement' }).click();
}

describeConsole('Web console: the platform operator\'s establishments, and the reset of a DSI\'s second factor', (rig) => {
  it('R-POL R-ART28 the operator creates an establishment with its first DSI (the API\'s messages beside the fields), then resets the TOTP of a DSI alone in its establishment after a reason and a confirmation', async () => {
    const { ctx } = rig;
    const operator = await ctx.createUser({ tenantId: null, roles: [Role.PlatformAdmin], enrolled: true });
    // A DSI alone in its establishment (beside an RSSI), signed in elsewhere, who lost phone and recovery codes.
    const { tenantId, dsi } = await ctx.tenantWithDsi();
    const [{ name: hospital }] = await ctx.query<{ name: string }>(`SELECT name FROM tenants WHERE id = $1`, [tenantId]);
    const rssi = await ctx.createUser({ tenantId, roles: [Role.Rssi] });

    const { page } = await openBrowser(rig.browser, ctx);
    await signInEnrolled(page, rig, '/', operator);
    await page.getByRole('heading', { name: 'Établissements', level: 1 }).waitFor();
    await menu(page, 'Établissements').waitFor();
    await menu(page, 'Piste d’audit').waitFor();
    const list = page.getByRole('region', { name: 'Établissements de la plateforme' });
    await list.getByRole('row', { name: new RegExp(`^${hospital} `) }).waitFor();

    // Bad input: each of the API's messages beside its field.
    const create = page.getByRole('region', { name: 'Créer un établissement' });
    await submitThreeErrors(create);
    await create.getByRole('alert').waitFor();
    expect(await fieldError(page, 'Nom de l’établissement')).toMatch(/^Le nom/);
    expect(await fieldError(page, 'Politique de départ')).toBe('Le modèle de politique est obligatoire.');
    expect(await fieldError(page, 'Adresse e-mail')).toContain('L\'adresse e-mail n\'est pas valide');
    await checkScreen(page, 'platform-tenant-refused');

    const email = `ada.lovelace.${Date.now()}@clinique-web.test`;
    await create.getByLabel('Nom de l’établissement', { exact: true }).fill('Clinique Web de la Plateforme');
    await create.getByLabel('Politique de départ', { exact: true }).selectOption({ label: 'CPTS Provence Santé' });
    await create.getByLabel('Adresse e-mail', { exact: true }).fill(email);
    await create.getByRole('button', { name: 'Créer l’établissement' }).click();
    await create.getByText('Établissement créé ; l’invitation du DSI est envoyée.').waitFor();
    const created = list.getByRole('row', { name: /^Clinique Web de la Plateforme / });
    await created.getByRole('cell', { name: 'CPTS Provence Santé', exact: true }).waitFor();
    await created.getByText('aucun', { exact: true }).waitFor();
    const [{ preset }] = await ctx.query<{ preset: string }>(`SELECT preset FROM tenants WHERE name = 'Clinique Web de la Plateforme'`);
    expect(preset).toBe('cpts-provence-sante');
    await rig.smtp.waitForSubject(email, 'Invitation à Clinique Web de la Plateforme');
    // The same name again: the API's conflict in the form's alert.
    await create.getByLabel('Nom de l’établissement', { exact: true }).fill('Clinique Web de la Plateforme');
    await create.getByLabel('Politique de départ', { exact: true }).selectOption({ label: 'CPTS (modèle)' });
    await create.getByLabel('Prénom', { exact: true }).fill('Bob');
    await create.getByLabel('Nom', { exact: true }).fill('Doublon');
    await create.getByLabel('Adresse e-mail', { exact: true }).fill(`bob.${email}`);
    await create.getByRole('button', { name: 'Créer l’établissement' }).click();
    await create.getByRole('alert').getByText(/existe déjà/).waitFor();

    // The DSIs of the hospital; the reset asks for a reason, then for a confirmation.
    await list.getByRole('row', { name: new RegExp(`^${hospital} `) }).getByRole('button', { name: 'Voir les DSI' }).click();
    const dsis = page.getByRole('region', { name: `DSI de ${hospital}` });
    const row = dsis.getByRole('row', { name: new RegExp(dsi.email.replace(/\./g, '\\.')) });
    await row.getByText('activée', { exact: true }).waitFor();
    await row.getByRole('button', { name: 'Réinitialiser la double authentification' }).click();
    const reason = 'Téléphone et codes de secours perdus, identité vérifiée en visio avec le directeur';
    // The confirmation states the consequence; nothing happens before it is confirmed.
    await page.getByRole('dialog').getByText(/Toutes ses sessions sont fermées aussitôt/).waitFor();
    expect((await ctx.http.get('/v1/me').set(dsi.auth)).status).toBe(200);
    expect(await confirmAct(page, /^Réinitialiser la double authentification de Test Person \?/, reason))
      .toContain('Double authentification de Test Person réinitialisée : ses sessions sont fermées.');
    await row.getByText('pas encore activée', { exact: true }).waitFor();
    await checkScreen(page, 'platform-tenants');

    // The DSI's session ended at once; the hospital's RSSI was told, and reads the reset in its own trail.
    expect((await ctx.http.get('/v1/me').set(dsi.auth)).status).toBe(401);
    const [mail] = await rig.smtp.waitForSubject(rssi.email, 'Second facteur de Test Person réinitialisé');
    expect(bodyOf(mail.raw)).toContain(reason);
    await rig.smtp.waitForSubject(dsi.email, 'Votre second facteur (TOTP) a été réinitialisé');
    const [event] = await ctx.query<{ actor_id: string; tenant_id: string }>(
      `SELECT actor_id, tenant_id FROM audit_events WHERE action = 'user.mfa_reset' AND target_id = $1 AND tenant_id IS NOT NULL`, [dsi.userId],
    );
    expect(event).toEqual({ actor_id: operator.id, tenant_id: tenantId });
    expect(consoleErrors(page)).toEqual([]);
  });

  it('R-L10N accessibility: a refused form shows an error summary at its top, as French public services do (DSFR): the count, the API\'s detail, each error a link that focuses its field; the summary takes the focus; axe passes', async () => {
    const { ctx } = rig;
    const operator = await ctx.createUser({ tenantId: null, roles: [Role.PlatformAdmin], enrolled: true });
    const { page } = await openBrowser(rig.browser, ctx);
    await signInEnrolled(page, rig, '/', operator);
    const create = page.getByRole('region', { name: 'Créer un établissement' });
    await submitThreeErrors(create);

    // The summary: first in the form, named by its title, focused, listing the three errors as links.
    const summary = create.getByRole('alert', { name: 'Le formulaire contient 3 erreurs' });
    await summary.waitFor();
    expect(await summary.evaluate((box) => box === box.ownerDocument.activeElement)).toBe(true);
    const following = 4; // Node.DOCUMENT_POSITION_FOLLOWING: every field comes after the summary
    const fields = create.locator('input, select').first();
    expect(await summary.evaluate((box, field) => box.compareDocumentPosition(field) & 4, await fields.elementHandle())).toBe(following);
    expect(await summary.getByRole('link').count()).toBe(3);
    const preset = create.getByLabel('Politique de départ', { exact: true });
    expect(await preset.getAttribute('aria-invalid')).toBe('true');
    // The link reads like the message beside the field (the field's description), and focuses the field.
    const link = summary.getByRole('link', { name: /^Politique de départ : / });
    expect(await link.textContent()).toBe(`Politique de départ\u00a0: ${await fieldError(page, 'Politique de départ')}`);
    await link.click();
    expect(await preset.evaluate((field) => field === field.ownerDocument.activeElement)).toBe(true);
    await summary.getByRole('link', { name: /^Adresse e-mail : / }).press('Enter');
    const email = create.getByLabel('Adresse e-mail', { exact: true });
    expect(await email.evaluate((field) => field === field.ownerDocument.activeElement)).toBe(true);
    await checkScreen(page, 'platform-error-summary');

    // Corrected, the form is accepted and the summary leaves.
    await create.getByLabel('Nom de l’établissement', { exact: true }).fill('Clinique du Résumé des Erreurs');
    await preset.selectOption({ label: 'CPTS (modèle)' });
    await email.fill(`ada.${Date.now()}@clinique-resume.test`);
    await create.getByRole('button', { name: 'Créer l’établissement' }).click();
    await create.getByText('Établissement créé ; l’invitation du DSI est envoyée.').waitFor();
    expect(await create.getByRole('alert').count()).toBe(0);
    expect(consoleErrors(page)).toEqual([]);
  });
});
