import { Role } from '@app/core';
import { World } from '@app/testing';
import { checkScreen, consoleErrors, describeConsole, openBrowser, signInEnrolled } from './console-harness';

const HOUR = 3_600_000;

describeConsole('Web console: the rough edges a first day shows (issue 16)', (rig) => {
  let w: World;
  beforeAll(async () => {
    w = await World.build(rig.ctx, rig.smtp, 'webedges');
  });

  it('R-ART42 the report form starts from the window\'s intervenants, not from the contact who files it', async () => {
    const { ctx, browser } = rig;
    const { id } = await w.windowOf([['Alice', 'Roux'], ['Bruno', 'Blanc']], 'PACS Bord');
    await ctx.advanceClock(3 * HOUR);

    const contact = await ctx.createUser({ tenantId: w.tenantId, contractorId: w.contractorId, roles: [Role.SecurityDeputy], enrolled: true });
    const { context, page } = await openBrowser(browser, ctx);
    await signInEnrolled(page, rig, `/interventions/${id}/report`, contact);
    await page.getByRole('heading', { name: 'Rapport d’intervention' }).waitFor();
    expect(await page.getByLabel('Intervenants').inputValue()).toBe('Bruno Blanc\nAlice Roux');
    await checkScreen(page, 'report-prefilled-intervenants');
    expect(consoleErrors(page)).toEqual([]);
    await context.close();
  });

  it('R-ART28 R-POL the People page names each person\'s company and filters by it; the password hint states the policy', async () => {
    const { ctx, browser } = rig;
    const dsi = await ctx.createUser({ tenantId: w.tenantId, roles: [Role.Dsi], enrolled: true });
    const { context, page } = await openBrowser(browser, ctx);
    await signInEnrolled(page, rig, '/people', dsi);
    await page.getByRole('heading', { name: 'Personnes de l’établissement', level: 1 }).waitFor();
    const company = `${w.name} SAS`;
    const row = (email: string) => page.getByRole('row').filter({ hasText: email });
    await row(w.contacts.securityContact.email).getByRole('cell', { name: company }).waitFor();
    await row(dsi.email).getByRole('cell', { name: 'Personnel de l’établissement' }).waitFor();

    await page.getByLabel('Entreprise').selectOption({ label: company });
    await row(dsi.email).waitFor({ state: 'detached' });
    await row(w.contacts.legalRepresentative.email).waitFor();
    await checkScreen(page, 'people-by-company');
    await page.getByLabel('Entreprise').selectOption({ label: 'Personnel de l’établissement' });
    await row(w.contacts.securityContact.email).waitFor({ state: 'detached' });
    await row(dsi.email).waitFor();

    await page.goto(`${rig.baseUrl}/account`);
    await page.getByText('De 12 à 256 caractères, avec au moins une majuscule, une minuscule, un chiffre et un caractère spécial, '
      + 'sans la partie de votre adresse e-mail qui précède le @.').waitFor();
    expect(consoleErrors(page)).toEqual([]);
    await context.close();
  });
});
