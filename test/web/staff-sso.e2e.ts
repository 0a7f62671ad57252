import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Role } from '@app/core';
import { IDP_CLIENT_ID, IDP_CLIENT_SECRET, TestIdp } from '../support/oidc-provider';
import { checkScreen, consoleErrors, describeConsole, menu, openBrowser, signInEnrolled } from './console-harness';

/** A port nobody listens on: the issuer cannot be reached. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The redirect URI the API registers (PUBLIC_URL of the tests); the browser is sent on to the console's own port. */
const PUBLIC = 'https://prestagate.test';

describeConsole('Web console: staff sign in with the establishment’s account (R-SSO, issue 17)', (rig) => {
  let idp: TestIdp;
  beforeAll(async () => {
    idp = await TestIdp.start(`${PUBLIC}/v1/auth/sso/callback`);
  });
  afterAll(async () => idp?.close());

  it('R-SSO the DSI sets the provider on "Annuaire et SSO" (its test says in French what failed); staff then sign in through it and land on the home page, with the TOTP step when the provider asked no second factor', async () => {
    const { ctx } = rig;
    const { tenantId } = await ctx.tenantWithDsi();
    const dsi = await ctx.createUser({ tenantId, roles: [Role.Dsi], enrolled: true });
    const { context, page } = await openBrowser(rig.browser, ctx);
    await context.route(`${PUBLIC}/**`, (route) => {
      const url = new URL(route.request().url());
      return route.fulfill({ status: 302, headers: { location: `${rig.baseUrl}${url.pathname}${url.search}` } });
    });
    await signInEnrolled(page, rig, '/directory', dsi);
    await menu(page, 'Annuaire et SSO').click();
    await page.getByRole('heading', { name: 'Annuaire et SSO de l’établissement', level: 1 }).waitFor();
    const form = page.getByRole('form', { name: 'Connexion avec le compte de l’établissement (OpenID Connect)' });
    await form.getByText('Aucun fournisseur d’identité n’est encore configuré.').waitFor();
    await form.getByLabel('Émetteur (issuer)').fill(`http://127.0.0.1:${await closedPort()}`);
    await form.getByLabel('Identifiant du client (application)').fill(IDP_CLIENT_ID);
    await form.getByLabel('Secret du client').fill(IDP_CLIENT_SECRET);
    await form.getByLabel('Domaines d’adresse e-mail autorisés (un par ligne)').fill('example.test');
    await form.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Fournisseur d’identité enregistré.').waitFor();
    await page.getByRole('button', { name: 'Tester le fournisseur d’identité' }).click();
    await page.getByRole('alert').filter({ hasText: 'Impossible de joindre l’émetteur' }).waitFor();
    await checkScreen(page, 'sso-test-unreachable', { allow: ['issuer', 'OpenID', 'Connect', 'amr', 'acr', 'mfa', 'otp', 'hwk', 'SSO'] });

    await form.getByLabel('Émetteur (issuer)').fill(idp.issuer);
    await form.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Fournisseur d’identité enregistré.').waitFor();
    await page.getByRole('button', { name: 'Tester le fournisseur d’identité' }).click();
    await page.getByText('Le fournisseur répond').waitFor();
    await page.getByRole('button', { name: 'Se déconnecter' }).click();

    const rssi = await ctx.createUser({ tenantId, roles: [Role.Rssi], enrolled: true });
    idp.account = { sub: 'rssi-1', email: rssi.email, amr: ['pwd', 'mfa'] };
    await page.getByRole('button', { name: 'Se connecter avec le compte de l’établissement' }).click();
    await page.getByLabel('Adresse e-mail').last().fill(rssi.email);
    await checkScreen(page, 'sso-sign-in', { allow: ['SSO'] });
    await page.getByRole('button', { name: 'Continuer vers l’établissement' }).click();
    await page.getByRole('heading', { name: 'Accueil', level: 1 }).waitFor();
    expect(new URL(page.url()).search).toBe('');
    await checkScreen(page, 'sso-home');

    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    // Signed out of Prestagate, still signed in at the provider: a new provider session, without a second factor this time.
    await context.clearCookies();
    idp.account = { sub: 'rssi-1', email: rssi.email, amr: ['pwd'] };
    await page.getByRole('button', { name: 'Se connecter avec le compte de l’établissement' }).click();
    await page.getByLabel('Adresse e-mail').last().fill(rssi.email);
    await page.getByRole('button', { name: 'Continuer vers l’établissement' }).click();
    await page.getByLabel('Code à 6 chiffres').fill(await ctx.totp(rssi.totpSecret!));
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { name: 'Accueil', level: 1 }).waitFor();

    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await context.clearCookies();
    idp.account = { sub: 'stranger', email: 'inconnu@example.test', amr: ['pwd', 'mfa'] };
    await page.getByRole('button', { name: 'Se connecter avec le compte de l’établissement' }).click();
    await page.getByLabel('Adresse e-mail').last().fill('inconnu@example.test');
    await page.getByRole('button', { name: 'Continuer vers l’établissement' }).click();
    await page.getByRole('alert').filter({ hasText: 'Aucun accès à Prestagate n’existe pour votre adresse e-mail' }).waitFor();
    await checkScreen(page, 'sso-refused', { allow: ['SSO'] });
    expect(consoleErrors(page)).toEqual([]);
  });
});
