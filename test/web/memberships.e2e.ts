import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { bodyOf } from '@app/testing';
import {
  advance, checkScreen, consoleErrors, describeConsole, fieldError, fillNewPassword, openBrowser, signInEnrolling,
} from './console-harness';

const PASSWORD = 'Ingenieur-PACS-2026!';

describeConsole('Web console: one person, several establishments (issue 17, R-MEMB)', (rig) => {
  it('R-MEMB R-ART28 a person invited by two establishments confirms the second with the usual password, signs in once (password, TOTP), '
    + 'picks the establishment, then switches back from the header without a TOTP', async () => {
    const { ctx, smtp, browser, baseUrl } = rig;
    const establishment = async () => {
      const { tenantId, dsi } = await ctx.tenantWithDsi();
      const [{ name }] = await ctx.query<{ name: string }>(`SELECT name FROM tenants WHERE id = $1`, [tenantId]);
      return { dsi, name };
    };
    const [a, b] = [await establishment(), await establishment()];
    const email = `paul.lefevre.${randomUUID().slice(0, 8)}@editeur-pacs.test`;
    const invite = (side: typeof a, roles: string[]) => ctx.http.post('/v1/users').set(side.dsi.auth)
      .send({ email, firstName: 'Paul', lastName: 'Lefèvre', roles }).expect(201);
    const linkFrom = async (side: typeof a) => {
      const [mail] = await smtp.waitForSubject(email, `Invitation à ${side.name}`);
      return `${baseUrl}/accept-invitation?token=${/accept-invitation\?token=([\w-]+)/.exec(bodyOf(mail.raw))![1]}`;
    };
    const header = (page: Page) => page.locator('header .establishment');

    // The first establishment's invitation: a newcomer chooses a password, then enrols TOTP.
    await invite(a, ['rssi']);
    const { context, page } = await openBrowser(browser, ctx);
    await page.goto(await linkFrom(a));
    await page.getByText(`${a.name} vous invite sur Prestagate`).waitFor();
    await checkScreen(page, 'accept-invitation-newcomer');
    await fillNewPassword(page, PASSWORD);
    await page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
    const secret = await signInEnrolling(page, ctx, PASSWORD);
    // One establishment: no chooser, no switcher.
    await page.getByRole('heading', { name: 'Accueil', level: 1 }).waitFor();
    expect(await header(page).textContent()).toContain(a.name);
    expect(await page.getByRole('button', { name: 'Changer d’établissement' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Se déconnecter' }).click();

    // The second establishment invites the same address: the person confirms with the password they already have.
    await invite(b, ['dsi']);
    await page.goto(await linkFrom(b));
    await page.getByRole('heading', { name: 'Rejoindre un établissement', level: 1 }).waitFor();
    await page.getByText(`Vous avez déjà un compte Prestagate. Confirmez avec votre mot de passe habituel pour rejoindre ${b.name}.`)
      .waitFor();
    expect(await page.getByLabel('Confirmer le mot de passe').count()).toBe(0);
    expect(await page.locator('.hint').count()).toBe(0); // no password rules: nothing new is chosen
    await checkScreen(page, 'accept-invitation-existing-account');
    await page.getByLabel('Votre mot de passe actuel').fill('Pas-le-bon-mot-2026!');
    await page.getByRole('button', { name: `Rejoindre ${b.name}` }).click();
    await page.getByRole('alert').getByText('Le mot de passe saisi n’est pas le bon ; le lien d’invitation reste valable.').waitFor();
    expect(await page.getByLabel('Votre mot de passe actuel').getAttribute('aria-invalid')).toBe('true');
    expect(await fieldError(page, 'Votre mot de passe actuel')).toContain('Ce n’est pas le mot de passe de votre compte Prestagate');
    await checkScreen(page, 'accept-invitation-wrong-password');
    await page.getByLabel('Votre mot de passe actuel').fill(PASSWORD);
    await page.getByRole('button', { name: `Rejoindre ${b.name}` }).click();

    // One sign-in, password then TOTP (a later code than the enrolment's), then the chooser.
    await page.getByRole('heading', { name: 'Connexion', level: 1 }).waitFor();
    expect(await page.getByLabel('Adresse e-mail').inputValue()).toBe(email);
    await advance(ctx, context, 60_000);
    await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Continuer' }).click();
    await page.getByLabel('Code à 6 chiffres').fill(await ctx.totp(secret));
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { name: 'Choisissez l’établissement', level: 1 }).waitFor();
    const choice = (name: string) => page.locator('ul.choices').getByRole('button', { name: new RegExp(name) });
    // The session opened for the establishment signed in to last, marked; the roles of each.
    expect(await choice(a.name).getAttribute('aria-current')).toBe('true');
    expect(await choice(a.name).textContent()).toContain('Vos rôles : RSSI');
    expect(await choice(b.name).textContent()).toContain('Vos rôles : DSI');
    expect(await page.getByRole('navigation', { name: 'Menu principal' }).count()).toBe(0);
    await checkScreen(page, 'choose-establishment');
    await choice(b.name).click();
    await page.getByRole('heading', { name: 'Accueil', level: 1 }).waitFor();
    await page.getByText(b.name).first().waitFor();
    expect(await header(page).textContent()).toContain(b.name);
    expect(await page.locator('header .who').textContent()).toContain('(DSI)');
    await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'À valider' }).waitFor();
    await checkScreen(page, 'home-second-establishment');

    // The header's switcher, by keyboard: Enter opens it, Escape closes it and gives the focus back.
    const switcher = page.getByRole('button', { name: 'Changer d’établissement' });
    await switcher.focus();
    await page.keyboard.press('Enter');
    expect(await switcher.getAttribute('aria-expanded')).toBe('true');
    await page.keyboard.press('Escape');
    expect(await switcher.getAttribute('aria-expanded')).toBe('false');
    expect(await switcher.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    const back = page.getByRole('list', { name: 'Vos autres établissements' }).getByRole('button', { name: new RegExp(a.name) });
    await back.waitFor();
    await checkScreen(page, 'header-switcher-open');
    await back.click();
    await page.getByRole('heading', { name: 'Accueil', level: 1 }).waitFor();
    await page.locator('header .establishment', { hasText: a.name }).waitFor();
    expect(await page.locator('header .who').textContent()).toContain('(RSSI)');
    expect(await page.getByLabel('Code à 6 chiffres').count()).toBe(0);
    await checkScreen(page, 'home-switched-back');

    // The tab keeps the new session (its refresh token replaced the old one): a reload stays in that establishment.
    await page.reload();
    await page.locator('header .establishment', { hasText: a.name }).waitFor();
    await page.getByRole('button', { name: 'Changer d’établissement' }).waitFor();
    // Each switch ended the session it left.
    const ended = await ctx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM auth_sessions s JOIN users u ON u.id = s.user_id
        WHERE lower(u.email) = lower($1) AND s.revoked_reason = 'switched_establishment'`,
      [email]);
    expect(ended).toEqual([{ n: 2 }]);

    // A session ended meanwhile (here by hand, as a password change does): switching sends the person back to sign in.
    await ctx.query(`UPDATE auth_sessions SET revoked_at = now(), revoked_reason = 'test' WHERE revoked_at IS NULL
      AND user_id IN (SELECT id FROM users WHERE lower(email) = lower($1))`, [email]);
    await page.getByRole('button', { name: 'Changer d’établissement' }).click();
    await page.getByRole('list', { name: 'Vos autres établissements' }).getByRole('button', { name: new RegExp(b.name) }).click();
    await page.getByText('Votre session a pris fin. Reconnectez-vous.').waitFor();
    expect(await page.getByLabel('Adresse e-mail').count()).toBe(1);
    expect(consoleErrors(page)).toEqual([]);
    await context.close();
  }, 180_000);
});
