import { Role } from '@app/core';
import { World } from '@app/testing';
import { BASE_DN, group, ROOT_DN, ROOT_PW, Slapd } from '../support/slapd';
import { checkScreen, consoleErrors, describeConsole, menu, openBrowser, signInEnrolled } from './console-harness';

describeConsole('Web console: the establishment’s directory (R-PROV, issue 17)', (rig) => {
  let slapd: Slapd;
  beforeAll(async () => {
    slapd = await Slapd.start(['pacs']);
  });
  afterAll(async () => slapd?.close());

  it('R-PROV the DSI sets the directory connection on the "Annuaire" screen; the test says in French what failed, then that it works; a drift shows once reconciled', async () => {
    const { ctx } = rig;
    const w = await World.build(ctx, rig.smtp, 'annuaire');
    await w.resource('PACS Console');
    const dsi = await ctx.createUser({ tenantId: w.tenantId, roles: [Role.Dsi], enrolled: true });
    const { page } = await openBrowser(rig.browser, ctx);
    await signInEnrolled(page, rig, '/contractors', dsi);
    await menu(page, 'Annuaire et SSO').click();
    await page.getByRole('heading', { name: 'Annuaire et SSO de l’établissement', level: 1 }).waitFor();
    await page.getByText('Aucun annuaire n’est encore configuré.').waitFor();
    await checkScreen(page, 'directory-empty');

    const form = page.getByRole('form', { name: 'Connexion à l’annuaire' });
    await form.getByLabel('Adresse').fill(slapd.url);
    await form.getByLabel('Compte de service (DN)').fill(ROOT_DN);
    await form.getByLabel('Mot de passe du compte de service').fill('pas-le-bon');
    await form.getByLabel('Branche des comptes prestataires (DN)').fill(BASE_DN);
    await form.getByLabel('Certificat de l’autorité (PEM, facultatif)').fill(slapd.caCertificate);
    await form.getByRole('button', { name: 'Ajouter un groupe' }).click();
    await form.getByLabel('Ressource').selectOption({ label: 'PACS Console' });
    await form.getByLabel('Groupe (DN)').fill(group('pacs'));
    await form.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Connexion enregistrée.').waitFor();

    await page.getByRole('button', { name: 'Tester la connexion' }).click();
    const refused = page.getByRole('alert').filter({ hasText: 'L’annuaire refuse le compte de service' });
    await refused.waitFor();
    await checkScreen(page, 'directory-test-refused');
    expect(await refused.textContent()).toContain('Réponse de l’annuaire : Invalid Credentials');

    await form.getByLabel('Mot de passe du compte de service').fill(ROOT_PW);
    await form.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Connexion enregistrée.').waitFor();
    await page.getByRole('button', { name: 'Tester la connexion' }).click();
    await page.getByText('Connexion réussie').waitFor();

    await slapd.modify(`dn: uid=intrus,${BASE_DN}\nchangetype: add\nobjectClass: inetOrgPerson\nuid: intrus\ncn: Intrus\nsn: Intrus`);
    await page.getByRole('button', { name: 'Réconcilier maintenant' }).click();
    await page.getByText('Réconciliation faite : 1 écart(s), 0 corrigé(s).').waitFor();
    await page.getByRole('table').getByText('Entrée active inconnue de Prestagate').waitFor();
    await checkScreen(page, 'directory-drift');
    expect(await page.getByRole('table').textContent()).toContain(`uid=intrus,${BASE_DN}`);
    expect(consoleErrors(page)).toEqual([]);
  });
});
