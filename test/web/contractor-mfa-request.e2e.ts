import { Role } from '@app/core';
import { bodyOf, World } from '@app/testing';
import { checkScreen, confirmAct, consoleErrors, describeConsole, openBrowser, signInEnrolled } from './console-harness';

describeConsole('Web console: the contractor\'s security contact asks the DSI to reset an intervenant\'s second factor', (rig) => {
  it('R-ART28 R-ART3 from its accounts, the security contact asks for a TOTP reset with a reason: the DSI is e-mailed, the request audited, nothing changes until the DSI resets', async () => {
    const { ctx } = rig;
    const w = await World.build(ctx, rig.smtp, 'webmfa');
    const { holder } = await w.activeAccount('Paul', 'Perdu');
    const contact = await ctx.createUser({ tenantId: w.tenantId, contractorId: w.contractorId, roles: [Role.SecurityContact], enrolled: true });

    const { page } = await openBrowser(rig.browser, ctx);
    await signInEnrolled(page, rig, '/onboarding', contact);
    // Step 4 is done (Paul's account is active), so its details are folded: the contact opens them.
    await page.getByRole('listitem').filter({ hasText: 'Demander les comptes et faire signer les conventions' }).getByText('Détails').click();
    // The account's own item, not the checklist step holding the list.
    const account = page.getByRole('listitem').filter({ has: page.getByText('Paul Perdu', { exact: true }) }).filter({ hasNot: page.getByRole('listitem') });
    await account.getByRole('button', { name: 'Demander la réinitialisation de la double authentification' }).click();
    // The confirmation names the person; a reason is required (the API's minimum is three characters).
    expect(await confirmAct(page, 'La DSI recevra une demande de réinitialisation du second facteur de Paul Perdu, avec votre motif.',
      'Téléphone professionnel volé hier soir, plus de code de secours')).toContain('Demande envoyée pour Paul Perdu.');
    await account.getByRole('status').getByText('Demande envoyée aux DSI de l’établissement (1) : ils vérifient l’identité de la personne puis réinitialisent.').waitFor();
    await checkScreen(page, 'contractor-mfa-reset-requested');

    const [mail] = await rig.smtp.waitForSubject(w.dsi.email, 'Demande de réinitialisation du second facteur de Paul Perdu');
    expect(bodyOf(mail.raw)).toContain('Téléphone professionnel volé hier soir');
    const [event] = await ctx.query<{ actor_id: string }>(`SELECT actor_id FROM audit_events WHERE action = 'user.mfa_reset_requested' AND target_id = $1`, [holder.userId]);
    expect(event.actor_id).toBe(contact.id);
    // Only a request: the intervenant is still enrolled and signed in.
    expect((await ctx.http.get('/v1/me').set(holder.auth).expect(200)).body.mfaEnrolled).toBe(true);
    expect(consoleErrors(page)).toEqual([]);
  });
});
