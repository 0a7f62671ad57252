import { contactsPayload, nextSiret, pdf, validateSignature } from '@app/testing';
import {
  checkScreen, confirmAct, consoleErrors, describeConsole, fillNewPassword, invitationToken, menu, openBrowser, screenshot, signInEnrolling,
} from './console-harness';

describeConsole('Web console: the contractor\'s security contact follows the onboarding checklist, declares a departure and reports an incident (issue 9)', (rig) => {
  it('R-ART2 R-ART28 R-ART35 R-ART5 the checklist follows the gate: charter signed, account requested, convention uploaded; then a departure and an incident', async () => {
    const { ctx, smtp, browser, baseUrl } = rig;
    // The DSI's side, through the API: the company, its contacts, a remote prestation, the charter and the convention published.
    const { tenantId, dsi } = await ctx.tenantWithDsi();
    const today = ctx.clock.now().toISOString().slice(0, 10);
    const contractorId = (await ctx.http.post('/v1/contractors').set(dsi.auth).send({ legalName: 'Biomed Web SAS', siret: nextSiret(), address: 'Le Mans' }).expect(201)).body.id;
    const contacts = contactsPayload(`onb${Date.now().toString(36)}`);
    await ctx.http.put(`/v1/contractors/${contractorId}/contacts`).set(dsi.auth).send(contacts).expect(200);
    await ctx.http.post(`/v1/contractors/${contractorId}/prestations`).set(dsi.auth).send({ title: 'Maintenance IRM', accessMode: 'remote', rgpdSubcontractor: false, startsOn: today }).expect(201);
    const publish = (kind: string, label: string) => ctx.http.post('/v1/documents').set(dsi.auth).field('kind', kind).field('versionLabel', label).field('effectiveOn', today)
      .attach('file', pdf(`${kind}-${label}`), { filename: `${kind}.pdf`, contentType: 'application/pdf' }).expect(201);
    await publish('charter', 'v2.0');
    await publish('access_convention', 'c1');

    // The security contact accepts the invitation in the browser and enrols TOTP.
    const { context, page } = await openBrowser(browser, ctx);
    await page.goto(`${baseUrl}/accept-invitation?token=${await invitationToken(smtp, contacts.securityContact.email)}`);
    await checkScreen(page, 'contractor-accept-invitation');
    await fillNewPassword(page, 'Contractor-Pass-42!');
    await page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
    await signInEnrolling(page, ctx, 'Contractor-Pass-42!');

    // The checklist: contacts done, the charter to sign (R-ART2).
    await page.getByRole('heading', { name: 'Dossier de Biomed Web SAS', level: 1 }).waitFor();
    const step = (title: string) => page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: title }) });
    await step('Déclarer les contacts sécurité').getByText('fait', { exact: true }).waitFor();
    const charter = step('Signer la charte');
    await charter.getByText('à faire', { exact: true }).waitFor();
    expect(await charter.getByLabel('Prénom du signataire').inputValue()).toBe('Claire'); // the declared legal representative
    await charter.getByLabel('Toutes les pages sont paraphées').check();
    await charter.getByLabel('Document signé (PDF)').setInputFiles({ name: 'charte-signee.pdf', mimeType: 'application/pdf', buffer: pdf('charte-signee-onb') });
    await charter.getByRole('button', { name: 'Déposer le document signé' }).click();
    await charter.getByText('en attente de l’établissement').waitFor();
    await checkScreen(page, 'contractor-onboarding-checklist', { expand: true });

    // The DSI validates it: the gate opens, the checklist says so.
    const [signature] = await ctx.query<{ id: string }>(`SELECT id FROM signatures WHERE contractor_id = $1`, [contractorId]);
    await validateSignature(ctx, signature.id, dsi.auth);
    await page.reload();
    await page.locator('.summary').getByText('Accès ouvert').waitFor();

    // R-ART28: a nominative account is requested, approved by the DSI; its convention is uploaded from the checklist.
    const accounts = step('Demander les comptes et faire signer les conventions');
    await accounts.getByLabel('Prénom').fill('Paul');
    await accounts.getByLabel('Nom', { exact: true }).fill('Martin');
    await accounts.getByLabel('Adresse e-mail').fill(`paul.martin.${contractorId.slice(0, 8)}@contractor.test`);
    await accounts.getByLabel('Téléphone').fill('+33 6 00 00 00 02');
    await accounts.getByRole('button', { name: 'Demander le compte' }).click();
    await accounts.getByText('Compte demandé : la DSI doit l’approuver.').waitFor();
    const accountsState = (state: string) => accounts.locator('.step-head').getByText(state, { exact: true }).waitFor();
    await accountsState('en attente de l’établissement');
    const [account] = await ctx.query<{ id: string }>(`SELECT id FROM accounts WHERE contractor_id = $1`, [contractorId]);
    await ctx.http.post(`/v1/accounts/${account.id}/approve`).set(dsi.auth).expect(200);
    await page.reload();
    await page.getByText('Activation, convention et habilitations').click();
    await page.getByText('Convention d’accès : non signée').waitFor();
    await page.getByText('Double authentification pas encore activée').waitFor();
    const convention = page.locator('form').filter({ has: page.getByRole('button', { name: 'Déposer la convention signée' }) });
    expect(await convention.getByLabel('Nom du signataire', { exact: true }).inputValue()).toBe('Martin');
    await convention.getByLabel('Toutes les pages sont paraphées').check();
    await convention.getByLabel('Document signé (PDF)').setInputFiles({ name: 'convention.pdf', mimeType: 'application/pdf', buffer: pdf('convention-onb') });
    await convention.getByRole('button', { name: 'Déposer la convention signée' }).click();
    await convention.getByText('Document déposé : il attend la validation de la DSI.').waitFor();
    await page.getByText('Convention d’accès : signée, en attente de validation par la DSI').waitFor();
    await checkScreen(page, 'contractor-onboarding-accounts');
    await accountsState('à faire'); // Paul has not enrolled TOTP yet

    // Issue 16: once the account is active (convention validated, TOTP enrolled at Paul's first sign-in), step 4 is done.
    const [conventionSigned] = await ctx.query<{ id: string }>(`SELECT id FROM signatures WHERE account_id = $1`, [account.id]);
    await ctx.http.get(`/v1/signatures/${conventionSigned.id}/file`).set(dsi.auth).expect(200);
    await ctx.http.post(`/v1/signatures/${conventionSigned.id}/validate`).set(dsi.auth).expect(200);
    const paul = `paul.martin.${contractorId.slice(0, 8)}@contractor.test`;
    await ctx.http.post('/v1/auth/invitations/accept').send({ token: await invitationToken(smtp, paul), password: 'Intervenant-Pass-42!' }).expect(200);
    await ctx.signIn(paul, 'Intervenant-Pass-42!');
    await page.reload();
    await accountsState('fait');

    // R-ART35: the departure, today: the account is deactivated within the request.
    await menu(page, 'Départs').click();
    await page.getByLabel('Compte', { exact: true }).selectOption({ label: `Paul Martin (paul.martin.${contractorId.slice(0, 8)}@contractor.test)` });
    expect(await page.getByLabel('Nom', { exact: true }).inputValue()).toBe('Martin');
    await page.getByRole('button', { name: 'Déclarer le départ' }).click();
    expect(await confirmAct(page, /^Le départ de Paul Martin sera déclaré au .+ : son compte sera désactivé ce jour-là/)).toContain('Départ de Paul Martin déclaré ; la DSI est prévenue.');
    await page.getByRole('cell', { name: 'compte désactivé' }).waitFor();
    await checkScreen(page, 'contractor-departure');

    // R-ART5: an incident report.
    await menu(page, 'Incidents').click();
    await page.getByLabel('Type', { exact: true }).selectOption('vulnerability');
    await page.getByLabel('Description').fill('Le poste de maintenance expose un partage SMB sans mot de passe');
    await page.getByRole('button', { name: 'Signaler' }).click();
    await page.getByText('Incident signalé.').waitFor();
    await page.getByRole('cell', { name: /partage SMB/ }).waitFor();
    await checkScreen(page, 'contractor-incident');

    const [deactivated] = await ctx.query<{ status: string }>(`SELECT status FROM accounts WHERE id = $1`, [account.id]);
    expect(deactivated.status).toBe('deactivated');
    const incidents = await ctx.query<{ kind: string; contractor_id: string }>(`SELECT kind, contractor_id FROM incidents WHERE tenant_id = $1`, [tenantId]);
    expect(incidents).toEqual([{ kind: 'vulnerability', contractor_id: contractorId }]);
    expect(consoleErrors(page)).toEqual([]);
    await context.close();
  }, 240_000);
});
