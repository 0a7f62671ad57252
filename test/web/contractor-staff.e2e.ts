import { pdf, World, validateSignature } from '@app/testing';
import {
  advance, checkScreen, choosePassword, consoleErrors, describeConsole, fieldError, invitationToken, localInput, menu, openBrowser,
} from './console-harness';

const HOUR = 3_600_000;

describeConsole('Web console: the contractor\'s staff enrols TOTP, requests a window and files its report (issue 9)', (rig) => {
  it('R-ART28 R-ART36 R-ART42 an intervenant chooses a password and enrols TOTP, requests a window in scope, and files the overdue report first', async () => {
    const { ctx, smtp, browser, baseUrl } = rig;
    const w = await World.build(ctx, smtp, 'webstaff');
    const pacs = await w.resource('PACS Web', 'pacs-web');
    const email = `jean.dupont.${w.name}@contractor.test`;
    const requested = await ctx.http.post(`/v1/contractors/${w.contractorId}/accounts`).set(w.securityContact.auth)
      .send({ firstName: 'Jean', lastName: 'Dupont', email, phone: '+33 6 00 00 00 01' }).expect(201);
    const accountId: string = requested.body.id;
    await ctx.http.post(`/v1/accounts/${accountId}/approve`).set(w.dsi.auth).expect(200);
    const { context, page } = await openBrowser(browser, ctx);
    let refreshes = 0;
    page.on('request', (r) => { if (r.url().endsWith('/v1/auth/refresh')) refreshes++; });

    // The invitation link: the password policy's message shows next to the field, then the first sign-in enrols TOTP.
    await page.goto(`${baseUrl}/accept-invitation?token=${await invitationToken(smtp, email)}`);
    await choosePassword(page, 'Enregistrer le mot de passe', 'staff-invitation-password-refused', 'Intervenant-Pass-42!');
    await page.getByRole('heading', { name: 'Connexion' }).waitFor();
    expect(await page.getByLabel('Adresse e-mail').inputValue()).toBe(email);
    await page.getByLabel('Mot de passe').fill('Intervenant-Pass-42!');
    await page.getByRole('button', { name: 'Continuer' }).click();
    const secret = (await page.locator('#totp-secret').textContent())!.trim();
    await checkScreen(page, 'staff-enrol-totp');
    await page.getByLabel('Code à 6 chiffres').fill(await ctx.totp(secret));
    await page.getByRole('button', { name: 'Activer' }).click();
    await page.getByLabel('J’ai conservé mes codes de secours').check();
    await page.getByRole('button', { name: 'Accéder à Prestagate' }).click();
    await page.getByRole('heading', { name: 'Interventions', level: 1 }).waitFor();

    // The person's convention is signed and validated, the scope approved: the account turns active (R-ART28, R-ART31).
    const convention = await w.upload(w.securityContact.auth, `/v1/accounts/${accountId}/convention`, {
      documentId: w.conventionId, signerFirstName: 'Jean', signerLastName: 'Dupont', signedOn: w.today(), allPagesInitialled: 'true',
    }, pdf(`convention-${email}`)).expect(201);
    await validateSignature(ctx, convention.body.id, w.dsi.auth);
    await w.habilitate(accountId, pacs);
    expect((await ctx.http.get(`/v1/accounts/${accountId}`).set(w.dsi.auth).expect(200)).body.status).toBe('active');

    // R-ART36: the window names the person's own account and a resource of its scope; the API's message sits by the field.
    const start = new Date(ctx.clock.now().getTime() + HOUR);
    await page.getByRole('link', { name: 'Demander une fenêtre' }).click();
    const own = page.getByRole('checkbox', { name: /Jean Dupont/ });
    await own.waitFor();
    expect(await own.isChecked()).toBe(true);
    expect(await page.getByRole('group', { name: 'Comptes' }).getByRole('checkbox').count()).toBe(1); // staff see their own account only
    await page.getByRole('checkbox', { name: 'PACS Web (pacs-web)' }).check();
    await page.getByLabel('Début', { exact: true }).fill(localInput(start));
    await page.getByLabel('Fin', { exact: true }).fill(localInput(new Date(start.getTime() - HOUR / 2)));
    await page.getByLabel('Nature des opérations').fill('Mise à jour du PACS en version 7.2');
    await page.getByLabel('Risques annoncés').fill('Redémarrage du service');
    await page.getByLabel('Impact sur la disponibilité').fill('10 minutes d’indisponibilité');
    await page.getByRole('button', { name: 'Envoyer la demande' }).click();
    await page.getByRole('alert').waitFor();
    expect(await fieldError(page, 'Fin')).toBe('La fin doit suivre le début.');
    await checkScreen(page, 'staff-window-refused');
    await page.getByLabel('Fin', { exact: true }).fill(localInput(new Date(start.getTime() + 2 * HOUR)));
    await page.getByRole('button', { name: 'Envoyer la demande' }).click();
    await page.getByRole('heading', { name: 'Toutes les interventions' }).waitFor();
    await page.getByRole('cell', { name: 'demandée' }).waitFor();
    await checkScreen(page, 'staff-window-requested');
    const [window] = await ctx.query<{ id: string; starts_at: Date }>(`SELECT id, starts_at FROM interventions WHERE contractor_id = $1`, [w.contractorId]);
    expect(new Date(window.starts_at).toISOString()).toBe(new Date(Math.floor(start.getTime() / 60_000) * 60_000).toISOString());
    await ctx.http.post(`/v1/interventions/${window.id}/approve`).set(w.dsi.auth).send({ overrideUsage: true }).expect(200);

    // A week later the report is overdue: it comes first, and it blocks new windows (R-ART42).
    await advance(ctx, context, 7 * 24 * HOUR);
    await menu(page, 'Incidents').click();
    await menu(page, 'Interventions').click();
    await page.getByRole('heading', { name: 'Rapports en retard (1)' }).waitFor();
    expect(refreshes).toBe(1); // the access token had expired: one refresh, then the request went through
    await page.getByRole('link', { name: 'Demander une fenêtre' }).click();
    await page.getByRole('checkbox', { name: 'PACS Web (pacs-web)' }).check();
    await page.getByLabel('Début', { exact: true }).fill(localInput(new Date(ctx.clock.now().getTime() + HOUR)));
    await page.getByLabel('Fin', { exact: true }).fill(localInput(new Date(ctx.clock.now().getTime() + 2 * HOUR)));
    await page.getByLabel('Nature des opérations').fill('Contrôle après mise à jour');
    await page.getByLabel('Risques annoncés').fill('Aucun');
    await page.getByLabel('Impact sur la disponibilité').fill('Aucun');
    await page.getByRole('button', { name: 'Envoyer la demande' }).click();
    await page.getByRole('alert').getByText(/1 compte rendu d'intervention est en retard/).waitFor();
    await checkScreen(page, 'staff-window-refused-overdue');

    await menu(page, 'Interventions').click();
    await checkScreen(page, 'staff-overdue-report-first');
    expect(await page.locator('main h2').first().textContent()).toBe('Rapports en retard (1)');
    await page.getByRole('region', { name: 'Rapports en retard (1)' }).getByRole('link', { name: 'Rapport en retard : le déposer' }).click();
    await page.getByRole('heading', { name: 'Rapport d’intervention' }).waitFor();
    expect(await page.getByLabel('Intervenants').inputValue()).toBe('Jean Dupont');
    await page.getByLabel('Opérations réalisées').fill('Mise à jour du PACS en 7.2, redémarrage des services');
    await page.getByLabel('Actions', { exact: true }).fill('Sauvegarde, mise à jour, contrôle des images');
    await page.getByLabel('Difficultés rencontrées').fill('Aucune');
    await page.getByRole('button', { name: 'Déposer le rapport' }).click();
    await page.getByRole('heading', { name: /^Version 1, déposée le/ }).waitFor();
    await checkScreen(page, 'staff-report-filed');
    await menu(page, 'Interventions').click();
    await page.getByRole('link', { name: 'Rapport déposé' }).waitFor();
    expect(await page.getByRole('heading', { name: /Rapports en retard/ }).count()).toBe(0);

    // What the browser showed is what the API holds: one report, by the intervenant, immutable from now on.
    const reports = await ctx.query<{ version: number; operations: string; intervenants: string[]; submitted_by: string }>(
      `SELECT version, operations, intervenants, submitted_by FROM intervention_reports WHERE intervention_id = $1`, [window.id]);
    const [staff] = await ctx.query<{ id: string }>(`SELECT id FROM users WHERE email = $1`, [email]);
    expect(reports).toEqual([{ version: 1, operations: 'Mise à jour du PACS en 7.2, redémarrage des services', intervenants: ['Jean Dupont'], submitted_by: staff.id }]);
    expect(await ctx.query(`SELECT 1 FROM interventions WHERE contractor_id = $1`, [w.contractorId])).toHaveLength(1);
    expect(consoleErrors(page)).toEqual([]);
    await context.close();
  }, 240_000);
});
