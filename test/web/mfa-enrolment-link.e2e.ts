import { Role } from '@app/core';
import { bodyOf, TEST_PASSWORD } from '@app/testing';
import { checkScreen, consoleErrors, describeConsole, openBrowser } from './console-harness';

describeConsole('Web console: a second factor reset is enrolled again from the e-mailed link (issue 9)', (rig) => {
  it('R-ART28 after the DSI resets the RSSI\'s TOTP, the password alone shows no QR code; the link e-mailed to the RSSI opens the enrolment, then the console', async () => {
    const { ctx, smtp, baseUrl } = rig;
    const { tenantId, dsi } = await ctx.tenantWithDsi();
    const rssi = await ctx.createUser({ tenantId, roles: [Role.Rssi], enrolled: true });
    await ctx.http.post(`/v1/users/${rssi.id}/mfa/reset`).set(dsi.auth).send({ reason: 'Téléphone volé, rappel au numéro déclaré' }).expect(200);
    const [mail] = await smtp.waitForSubject(rssi.email, 'Votre second facteur (TOTP) a été réinitialisé');
    const linkOf = (raw: string) => {
      const url = new URL(/(http\S+\/login\?email=\S+&enrolment=[\w-]+)/.exec(bodyOf(raw))![1]);
      return `${baseUrl}${url.pathname}${url.search}`; // PUBLIC_URL's path, on this test's port
    };
    const link = linkOf(mail.raw);

    const { page } = await openBrowser(rig.browser, ctx);
    // The password alone: the console explains where the way forward is, and shows no secret.
    await page.goto(`${baseUrl}/login`);
    await page.getByLabel('Adresse e-mail').fill(rssi.email);
    await page.getByLabel('Mot de passe').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Continuer' }).click();
    await page.getByRole('alert').getByText(/ouvrez le lien reçu par e-mail/).waitFor();
    await checkScreen(page, 'sign-in-enrolment-needs-link');
    expect(await page.locator('#totp-secret').count()).toBe(0);
    expect(await page.getByLabel('Code à 6 chiffres').count()).toBe(0);

    // The link: the address is filled in, the token leaves the address bar, the enrolment shows the QR code.
    await page.goto(link);
    await page.getByText('Connectez-vous avec votre mot de passe pour enrôler votre nouvelle application d’authentification.').waitFor();
    expect(page.url()).not.toContain('enrolment=');
    expect(await page.getByLabel('Adresse e-mail').inputValue()).toBe(rssi.email);
    await page.getByLabel('Mot de passe').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Continuer' }).click();
    const secret = (await page.locator('#totp-secret').textContent())!.trim();
    await page.getByRole('img', { name: /QR code/ }).waitFor();
    await checkScreen(page, 'mfa-enrolment-link');
    await page.getByLabel('Code à 6 chiffres').fill(await ctx.totp(secret));
    await page.getByRole('button', { name: 'Activer' }).click();
    await page.getByLabel('J’ai conservé mes codes de secours').check();
    await page.getByRole('button', { name: 'Accéder à Prestagate' }).click();
    await page.getByRole('navigation', { name: 'Menu principal' }).waitFor();
    expect((await ctx.http.get(`/v1/users/${rssi.id}`).set(dsi.auth).expect(200)).body.mfaEnrolled).toBe(true);

    // An older e-mail's link, after a new reset: refused, with the way out.
    await ctx.http.post(`/v1/users/${rssi.id}/mfa/reset`).set(dsi.auth).send({ reason: 'Nouveau téléphone perdu' }).expect(200);
    await smtp.waitForSubject(rssi.email, 'Votre second facteur (TOTP) a été réinitialisé', 2);
    const { page: again } = await openBrowser(rig.browser, ctx);
    await again.goto(link);
    await again.getByLabel('Mot de passe').fill(TEST_PASSWORD);
    await again.getByRole('button', { name: 'Continuer' }).click();
    await again.getByRole('alert').getByText(/a expiré, a déjà servi ou a été remplacé/).waitFor();
    await checkScreen(again, 'sign-in-enrolment-link-expired');
    expect(await again.locator('#totp-secret').count()).toBe(0);
    expect(consoleErrors(page)).toEqual([]);
  });
});
