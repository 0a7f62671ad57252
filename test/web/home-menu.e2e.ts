import { Role } from '@app/core';
import { bodyOf, pdf, World } from '@app/testing';
import { checkScreen, consoleErrors, describeConsole, menu, openBrowser, signInEnrolled } from './console-harness';

/**
 * Issue 16: the DSI lands on a home page of what waits (GET /v1/home) and follows a task to the page where it is done; the
 * establishment's name in the header; the grouped menu holds on one line at 1,280 px; an e-mail's link opens its page.
 */
describeConsole('Web console: home page per role, grouped menu, e-mail links (issue 16)', (rig) => {
  it('R-DIG R-ART28 R-NOT the DSI lands on the home page, reads the counts, uses the menu by keyboard and follows a task and an e-mail link', async () => {
    const { ctx, smtp, browser, baseUrl } = rig;
    const w = await World.build(ctx, smtp, 'webhome');
    const dsi = await ctx.createUser({ tenantId: w.tenantId, roles: [Role.Dsi], enrolled: true });
    const [{ name }] = await ctx.query<{ name: string }>('SELECT name FROM tenants WHERE id = $1', [w.tenantId]);
    const bob = (await ctx.http.post(`/v1/contractors/${w.contractorId}/accounts`).set(w.securityContact.auth)
      .send({ firstName: 'Bob', lastName: 'Accueil', email: 'bob.accueil@webhome.test', phone: '+33 6 00 00 00 00' }).expect(201)).body.id;

    const { context, page } = await openBrowser(browser, ctx);
    await page.setViewportSize({ width: 1280, height: 800 });
    await signInEnrolled(page, rig, '/', dsi);
    await page.getByRole('heading', { name: 'Accueil', level: 1 }).waitFor();
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByRole('banner').getByText(`Établissement : ${name}`).waitFor();
    const tasks = page.getByRole('region', { name: 'À faire' });
    const task = (label: string) => tasks.getByRole('listitem').filter({ has: page.getByRole('link', { name: label, exact: true }) });
    await task('Comptes à approuver').getByText('1', { exact: true }).waitFor();
    await task('Signatures à valider').getByText('rien à faire').waitFor();
    await task('Prestataires dont l’accès se ferme sous 30 jours').getByText('rien à faire').waitFor();
    await checkScreen(page, 'home-dsi');

    // The menu holds on one line at 1,280 px: every entry on the same row, the header no taller than one line.
    const nav = page.getByRole('navigation', { name: 'Menu principal' });
    const items = nav.locator(':scope > ul > li');
    const tops = await Promise.all((await items.all()).map(async (item) => (await item.boundingBox())!.y));
    expect(tops.length).toBeGreaterThanOrEqual(6);
    expect(new Set(tops).size).toBe(1);
    const header = (await page.getByRole('banner').boundingBox())!;
    const navBox = (await nav.boundingBox())!;
    expect(header.height).toBeLessThan(2.5 * navBox.height);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1280);

    // A group is a disclosure button: Enter opens it, Escape closes it and gives the focus back; a grouped item navigates.
    const admin = nav.getByRole('button', { name: 'Administration' });
    expect(await admin.getAttribute('aria-expanded')).toBe('false');
    await admin.focus();
    await page.keyboard.press('Enter');
    expect(await admin.getAttribute('aria-expanded')).toBe('true');
    await nav.getByRole('link', { name: 'Ressources', exact: true }).waitFor();
    await checkScreen(page, 'menu-group-open');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Escape');
    expect(await admin.getAttribute('aria-expanded')).toBe('false');
    expect(await page.evaluate(`document.activeElement.getAttribute('aria-expanded')`)).toBe('false');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Administration▾');
    await nav.getByRole('link', { name: 'Ressources', exact: true }).waitFor({ state: 'hidden' });
    await nav.getByRole('button', { name: 'Contrôle' }).click();
    await nav.getByRole('link', { name: 'Piste d’audit', exact: true }).click();
    await page.getByRole('heading', { name: 'Piste d’audit', level: 1 }).waitFor();
    expect(await nav.getByRole('button', { name: 'Contrôle' }).getAttribute('aria-expanded')).toBe('false');

    // The task's link opens the page where the act is done.
    await menu(page, 'Accueil').click();
    await task('Comptes à approuver').getByRole('link').click();
    await page.getByRole('heading', { name: 'À valider', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Comptes à approuver (1)' }).waitFor();

    // R-NOT: the e-mail of a signature to validate links to the console's queue.
    await w.upload(w.securityContact.auth, `/v1/accounts/${bob}/convention`, {
      documentId: w.conventionId, signerFirstName: 'Bob', signerLastName: 'Accueil', signedOn: w.today(), allPagesInitialled: 'true',
    }, pdf('webhome-convention')).expect(201);
    const [mail] = await smtp.waitForSubject(dsi.email, 'Signature à valider');
    const link = /Pour agir, ouvrez Prestagate : (\S+)/.exec(bodyOf(mail.raw))![1];
    expect(link).toBe(`${ctx.env.PUBLIC_URL}/approvals#q-signatures`);
    await menu(page, 'Accueil').click();
    await page.goto(link.replace(ctx.env.PUBLIC_URL!, baseUrl));
    await page.getByRole('heading', { name: 'Documents signés à valider (1)' }).waitFor();
    expect(consoleErrors(page)).toEqual([]);
    await context.close();
  });

  it('R-ART2 R-ART34 the security contact\'s home puts the company\'s tasks above the onboarding checklist', async () => {
    const { ctx, smtp, browser } = rig;
    const w = await World.build(ctx, smtp, 'webhome-contact');
    const contact = await ctx.createUser({ tenantId: w.tenantId, roles: [Role.SecurityContact], contractorId: w.contractorId, enrolled: true });
    await ctx.http.post('/v1/reviews').set(w.dsi.auth).send({ contractorId: w.contractorId }).expect(201);
    const { context, page } = await openBrowser(browser, ctx);
    await signInEnrolled(page, rig, '/', contact);
    await page.getByRole('heading', { name: 'Dossier de webhome-contact SAS', level: 1 }).waitFor();
    const tasks = page.getByRole('region', { name: 'À faire' });
    await tasks.getByRole('listitem').filter({ hasText: 'Revues d’accès ouvertes' }).getByText('1', { exact: true }).waitFor();
    await tasks.getByRole('listitem').filter({ hasText: 'Éléments manquants' }).getByText('rien à faire').waitFor();
    await page.getByRole('heading', { name: 'Signer la charte' }).waitFor();
    await checkScreen(page, 'home-contractor');
    await tasks.getByRole('link', { name: 'Revues d’accès ouvertes' }).click();
    await page.getByRole('heading', { name: 'Revues d’accès', level: 1 }).waitFor();
    expect(consoleErrors(page)).toEqual([]);
    await context.close();
  });

  it('R-ART34 R-ART28 the RSSI\'s home counts open reviews and suspended accounts; an item alone in its group stays a plain link', async () => {
    const { ctx, smtp, browser } = rig;
    const w = await World.build(ctx, smtp, 'webhome-rssi');
    const rssi = await ctx.createUser({ tenantId: w.tenantId, roles: [Role.Rssi], enrolled: true });
    await ctx.http.post('/v1/reviews').set(w.dsi.auth).send({ contractorId: w.contractorId }).expect(201);
    const { context, page } = await openBrowser(browser, ctx);
    await page.setViewportSize({ width: 1280, height: 800 });
    await signInEnrolled(page, rig, '/', rssi);
    await page.getByRole('heading', { name: 'Accueil', level: 1 }).waitFor();
    const tasks = page.getByRole('region', { name: 'À faire' });
    await tasks.getByRole('listitem').filter({ hasText: 'Revues d’accès ouvertes' }).getByText('1', { exact: true }).waitFor();
    await tasks.getByRole('listitem').filter({ hasText: 'Comptes suspendus' }).getByText('rien à faire').waitFor();
    await checkScreen(page, 'home-rssi');
    // The RSSI's only item of the access group is the reviews: a link of the menu's first level.
    const nav = page.getByRole('navigation', { name: 'Menu principal' });
    expect(await nav.getByRole('button', { name: 'Accès' }).count()).toBe(0);
    await nav.getByRole('link', { name: 'Revues d’accès', exact: true }).click();
    await page.getByRole('heading', { name: 'Revues d’accès', level: 1 }).waitFor();
    // On a phone the menu wraps instead of widening the page.
    await page.setViewportSize({ width: 390, height: 800 });
    await menu(page, 'Accueil').click();
    await page.getByRole('heading', { name: 'Accueil', level: 1 }).waitFor();
    await page.getByRole('region', { name: 'À faire' }).waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await checkScreen(page, 'home-rssi-phone');
    expect(consoleErrors(page)).toEqual([]);
    await context.close();
  });
});
