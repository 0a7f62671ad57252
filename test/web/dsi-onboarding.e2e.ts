import { readFileSync } from 'node:fs';
import { Role } from '@app/core';
import { contactsPayload, nextSiret, pdf, TEST_PASSWORD } from '@app/testing';
import { checkScreen, confirmAct, consoleErrors, describeConsole, fieldError, invitationToken, itemsOf, menu, openBrowser, screenshot } from './console-harness';

describeConsole('Web console: the DSI onboards a contractor and validates its charter (issue 9)', (rig) => {
  it('serves the built console under / with its CSP, deep links included, and leaves API paths to the API', async () => {
    const { ctx } = rig;
    const home = await ctx.http.get('/').expect(200);
    expect(home.headers['content-type']).toMatch(/^text\/html/);
    expect(home.headers['content-security-policy']).toContain("script-src 'self'");
    expect(home.text).not.toMatch(/<script>(?!<\/script>)/); // no inline script: the CSP forbids them
    const deep = await ctx.http.get('/contractors/6f1c2d3e-0000-4000-8000-000000000000').expect(200);
    expect(deep.text).toBe(home.text);
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(home.text)![1];
    const script = await ctx.http.get(asset).expect(200);
    expect(script.headers['cache-control']).toContain('immutable');
    for (const path of ['/v1/nothing-here', '/health/nothing', '/docs-nothing']) {
      const missing = await ctx.http.get(path).expect(404);
      expect(missing.headers['content-type']).toContain('application/problem+json');
    }
    await ctx.http.post('/contractors').expect(404);
  });

  it('R-ART28 R-ART3 R-ART2 R-AUD the DSI enrols TOTP, declares the company, its contacts and prestation, publishes the charter, validates the signed copy after checking it, and downloads the evidence pack', async () => {
    const { ctx, smtp, browser, baseUrl } = rig;
    const tenantId = await ctx.createTenant();
    const dsi = await ctx.createUser({ tenantId, roles: [Role.Dsi] });
    const { context, page } = await openBrowser(browser, ctx);

    // First sign-in: password, then TOTP enrolment (QR code and the secret as text), then the recovery codes once.
    await page.goto(`${baseUrl}/`);
    await page.getByLabel('Adresse e-mail').waitFor();
    // Keyboard users: the first stop of the page is the link that skips the menu; it shows when focused.
    expect(await page.evaluate(`document.querySelector('a[href], button, input, select, textarea').textContent`)).toBe('Aller au contenu');
    await checkScreen(page, 'sign-in');
    await page.getByRole('link', { name: 'Aller au contenu' }).focus();
    expect((await page.getByRole('link', { name: 'Aller au contenu' }).boundingBox())!.x).toBeGreaterThanOrEqual(0);
    await page.getByLabel('Adresse e-mail').fill(dsi.email);
    await page.getByLabel('Mot de passe').fill('not the password');
    await page.getByRole('button', { name: 'Continuer' }).click();
    await page.getByRole('alert').waitFor();
    await page.getByLabel('Mot de passe').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Continuer' }).click();
    await page.getByRole('img', { name: /QR code/ }).waitFor();
    const secret = (await page.locator('#totp-secret').textContent())!.trim();
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await checkScreen(page, 'sign-in-enrol-totp');
    await page.getByLabel('Code à 6 chiffres').fill('000000');
    await page.getByRole('button', { name: 'Activer' }).click();
    await page.getByRole('alert').waitFor();
    await page.getByLabel('Code à 6 chiffres').fill(await ctx.totp(secret));
    await page.getByRole('button', { name: 'Activer' }).click();
    await page.getByRole('heading', { name: 'Vos codes de secours' }).waitFor();
    expect(await page.locator('ol.codes li').count()).toBe(10);
    await checkScreen(page, 'sign-in-recovery-codes');
    await page.getByLabel('J’ai conservé mes codes de secours').check();
    await page.getByRole('button', { name: 'Accéder à Prestagate' }).click();
    await page.getByRole('heading', { name: 'Accueil', level: 1 }).waitFor();

    // R-ART2: the establishment publishes its charter (PDF).
    await menu(page, 'Documents').click();
    await page.getByLabel('Type', { exact: true }).selectOption({ label: 'Charte' });
    await page.getByLabel('Version', { exact: true }).fill('v2.0');
    await page.getByLabel('Document (PDF)').setInputFiles({ name: 'charte.pdf', mimeType: 'application/pdf', buffer: pdf('charte-web') });
    await page.getByRole('button', { name: 'Publier', exact: true }).click();
    await page.getByText('Version publiée.').waitFor();
    await page.getByRole('cell', { name: 'v2.0', exact: true }).waitFor();
    await checkScreen(page, 'dsi-documents');

    // R-ART3: the company, with the API's validation message next to the field it concerns.
    await menu(page, 'Prestataires').click();
    await page.getByRole('link', { name: 'Déclarer un prestataire' }).click();
    await page.getByLabel('Raison sociale').fill('Medisoft Web SAS');
    await page.getByLabel('SIRET', { exact: true }).fill('12345678901234');
    await page.getByLabel('Adresse', { exact: true }).fill('12 rue de la Paix, 72000 Le Mans');
    await page.getByRole('button', { name: 'Créer le prestataire' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByLabel('SIRET', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await fieldError(page, 'SIRET')).toContain('clé de contrôle valide (Luhn)');
    await checkScreen(page, 'dsi-contractor-validation-error');
    await page.getByLabel('SIRET', { exact: true }).fill(nextSiret());
    await page.getByRole('button', { name: 'Créer le prestataire' }).click();
    await page.getByRole('heading', { name: 'Medisoft Web SAS', level: 1 }).waitFor();
    await page.getByText('Contacts sécurité non déclarés (art. 3)').first().waitFor();

    // Section 8 of the charter: legal representative, security contact and deputy (two different people).
    const contacts = contactsPayload(`web${Date.now().toString(36)}`);
    const person = async (legend: string, p: { firstName: string; lastName: string; email: string; phone: string }) => {
      const group = page.getByRole('group', { name: legend });
      await group.getByLabel('Prénom').fill(p.firstName);
      await group.getByLabel('Nom', { exact: true }).fill(p.lastName);
      await group.getByLabel('Adresse e-mail').fill(p.email);
      await group.getByLabel('Téléphone').fill(p.phone);
    };
    await person('Représentant légal', contacts.legalRepresentative);
    await page.getByRole('group', { name: 'Représentant légal' }).getByLabel('Fonction').fill('Présidente');
    await person('Correspondant sécurité', contacts.securityContact);
    await person('Suppléant sécurité', { ...contacts.securityContact, email: contacts.securityContact.email });
    await page.getByRole('button', { name: 'Enregistrer les contacts' }).click();
    await page.getByRole('alert').waitFor(); // the deputy must be someone else (R-ART3)
    await checkScreen(page, 'dsi-contacts-refused');
    // The error names the deputy as a whole: the summary's link leads to the deputy's first field.
    await page.getByRole('alert').getByRole('link').click();
    const deputyFirstName = page.getByRole('group', { name: 'Suppléant sécurité' }).getByLabel('Prénom');
    expect(await deputyFirstName.evaluate((field) => field === field.ownerDocument.activeElement)).toBe(true);
    await person('Suppléant sécurité', contacts.securityDeputy);
    await page.getByRole('button', { name: 'Enregistrer les contacts' }).click();
    await page.getByText('Contacts enregistrés.').waitFor();

    // The prestation (remote access) makes the charter required.
    await page.getByLabel('Intitulé').fill('Maintenance PACS');
    await page.getByLabel('Mode d’accès').selectOption('remote');
    await page.getByRole('button', { name: 'Ajouter la prestation' }).click();
    await page.getByText('Prestation ajoutée.').waitFor();
    await page.getByRole('cell', { name: 'Maintenance PACS', exact: true }).waitFor();
    await checkScreen(page, 'dsi-contractor-prestation');
    const contractorId = new URL(page.url()).pathname.split('/').pop()!;
    await page.reload();
    await page.getByText('Charte : non signée par le représentant légal').first().waitFor();

    // The contractor's security contact, invited by e-mail, uploads the charter signed by the legal representative.
    const scEmail = contacts.securityContact.email;
    await ctx.http.post('/v1/auth/invitations/accept').send({ token: await invitationToken(smtp, scEmail), password: 'Contractor-Pass-42!' }).expect(200);
    const sc = await ctx.signIn(scEmail, 'Contractor-Pass-42!');
    const [charter] = itemsOf<{ id: string }>((await ctx.http.get('/v1/documents').set(sc.auth).expect(200)).body);
    const signedCopy = pdf('charte-signee-web');
    await ctx.http.post(`/v1/contractors/${contractorId}/signatures`).set(sc.auth)
      .field('documentId', charter.id).field('signerFirstName', 'Claire').field('signerLastName', 'Martin').field('signerFunction', 'Présidente')
      .field('signedOn', ctx.clock.now().toISOString().slice(0, 10)).field('allPagesInitialled', 'true')
      .attach('file', signedCopy, { filename: 'charte-signee.pdf', contentType: 'application/pdf' }).expect(201);

    // The DSI's queue: the signed copy is read (its SHA-256 recomputed in the browser) and validated.
    await menu(page, 'À valider').click();
    await page.getByRole('heading', { name: 'Documents signés à valider (1)' }).waitFor();
    // R-ART2: validating waits for the signed file to be opened in this session.
    const validate = page.getByRole('button', { name: 'Valider la signature' });
    expect(await validate.isDisabled()).toBe(true);
    await page.getByText('Ouvrez d’abord le fichier signé pour pouvoir le valider.').waitFor();
    await page.getByRole('button', { name: 'Consulter le fichier signé' }).click();
    await page.getByText('Empreinte SHA-256 vérifiée').waitFor();
    await checkScreen(page, 'dsi-approvals-queue');
    await validate.click();
    expect(await confirmAct(page, /^Le document « Charte .* » signé par Claire Martin sera validé pour Medisoft Web SAS/)).toContain('Signature de Claire Martin validée');
    await page.getByText('Rien n’attend votre décision.').waitFor();

    // R-ART2: the gate opens; the contractor page and the list say so.
    await menu(page, 'Prestataires').click();
    const row = page.getByRole('row', { name: /Medisoft Web SAS/ });
    await row.getByText('Accès ouvert').waitFor();
    await checkScreen(page, 'dsi-contractors-list');
    await row.getByRole('link', { name: 'Medisoft Web SAS' }).click();
    await page.getByRole('heading', { name: 'Medisoft Web SAS', level: 1 }).waitFor();
    await page.locator('.summary').getByText('Accès ouvert').waitFor();
    await page.getByRole('cell', { name: 'validé', exact: true }).waitFor();
    await checkScreen(page, 'dsi-contractor-page', { expand: true });
    // R-AUD: the contractor's evidence pack, streamed to the browser.
    const [pack] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Dossier de preuves' }).click()]);
    expect(pack.suggestedFilename()).toMatch(/\.zip$/);
    expect(readFileSync((await pack.path())!).subarray(0, 2).toString('latin1')).toBe('PK');

    await menu(page, 'Ressources').click();
    await page.getByRole('heading', { name: 'Catalogue des ressources', level: 1 }).waitFor();
    await checkScreen(page, 'dsi-resources', { expand: true });

    // R-ART36: the DSI invites a referent and designates them for this contractor.
    await menu(page, 'Personnes').click();
    await page.getByLabel('Prénom').fill('Rémi');
    await page.getByLabel('Nom', { exact: true }).fill('Référent');
    await page.getByLabel('Adresse e-mail').fill(`remi.referent.${contractorId.slice(0, 8)}@ch-test.fr`);
    await page.getByRole('checkbox', { name: 'référent' }).check();
    await page.getByRole('button', { name: 'Inviter', exact: true }).click();
    await page.getByText('Invitation envoyée.').waitFor();
    await page.getByRole('row', { name: /Rémi Référent/ }).getByText('invitée').waitFor();
    // R-ART28: a lost invitation is sent again (the first link stops working); a lost phone, the DSI resets the second factor.
    const remi = `remi.referent.${contractorId.slice(0, 8)}@ch-test.fr`;
    const firstToken = await invitationToken(smtp, remi);
    await page.getByRole('row', { name: /Rémi Référent/ }).getByRole('button', { name: 'Renvoyer l’invitation' }).click();
    await page.getByText('Nouvelle invitation envoyée ; les liens précédents ne fonctionnent plus.').waitFor();
    await smtp.waitForSubject(remi, 'Invitation', 2);
    await ctx.http.post('/v1/auth/invitations/accept').send({ token: firstToken, password: 'Un-Mot-De-Passe-Solide-2026!' }).expect(400);
    const rssi = await ctx.createUser({ tenantId, roles: [Role.Rssi], enrolled: true, email: `rssi.${contractorId.slice(0, 8)}@ch-test.fr` });
    await page.reload();
    const rssiRow = page.getByRole('row', { name: new RegExp(rssi.email.replace(/\./g, '\\.')) });
    await rssiRow.waitFor();
    // Nobody resets their own second factor.
    expect(await page.getByRole('row', { name: new RegExp(dsi.email.replace(/\./g, '\\.')) }).getByRole('button', { name: 'Réinitialiser la double authentification' }).count()).toBe(0);
    await rssiRow.getByRole('button', { name: 'Réinitialiser la double authentification' }).click();
    expect(await confirmAct(page, /^Le second facteur de .* sera réinitialisé ; ses sessions seront coupées/, 'Téléphone perdu, signalé par téléphone au support'))
      .toMatch(/Double authentification réinitialisée/);
    await checkScreen(page, 'dsi-people');
    await smtp.waitForSubject(rssi.email, 'Votre second facteur (TOTP) a été réinitialisé');
    expect((await ctx.http.post('/v1/auth/login').send({ email: rssi.email, password: TEST_PASSWORD }).expect(200)).body.next).toBe('enroll');
    await page.goto(`${baseUrl}/contractors/${contractorId}#referents`);
    await page.getByRole('checkbox', { name: /Rémi Référent/ }).check();
    await page.getByRole('checkbox', { name: new RegExp(dsi.email.replace(/\./g, '\\.')) }).check();
    await page.getByRole('button', { name: 'Désigner' }).click();
    await page.getByText('Référents enregistrés.').waitFor();
    // Listed once their account is active: the DSI now, the invited referent after accepting the invitation.
    await page.getByRole('region', { name: 'Référents' }).getByRole('listitem').filter({ hasText: dsi.email }).waitFor();

    // What the browser showed is what the API holds, and the trail names the DSI as the validator.
    expect((await ctx.http.get(`/v1/contractors/${contractorId}/gate`).set(sc.auth).expect(200)).body).toEqual({ open: true, missing: [] });
    const [validated] = await ctx.query<{ actor_id: string }>(
      `SELECT actor_id FROM audit_events WHERE tenant_id = $1 AND action = 'signature.validated'`, [tenantId]);
    expect(validated.actor_id).toBe(dsi.id);
    expect(await ctx.query(`SELECT 1 FROM contractor_referents cr JOIN users u ON u.id = cr.user_id WHERE cr.contractor_id = $1 AND u.first_name = 'Rémi'`, [contractorId])).toHaveLength(1);
    expect(consoleErrors(page)).toEqual([]);
    await context.close();
  }, 180_000);
});
