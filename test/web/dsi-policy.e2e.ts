import type { Request } from 'playwright-core';
import { Role } from '@app/core';
import { zonedInstant } from '@app/interventions';
import { bodyOf, World } from '@app/testing';
import { checkScreen, consoleErrors, describeConsole, fieldError, localInput, menu, openBrowser, signInEnrolled } from './console-harness';

const REPORT_ADDRESS = 'cr-astreinte@ch-lemans.test';

describeConsole('Web console: the establishment’s policy (R-POL, issue 9)', (rig) => {
  it('R-POL R-ART42 R-ART36 R-ART34 R-ART41 the DSI registers the report address, a blackout and a longer review grace (a retention under the legal floor is refused beside its field and nothing is saved; only the changed fields are sent); a reload shows them; a window in the blackout is flagged and an after-hours report reaches the address; the RSSI reads the same values with no control enabled', async () => {
    const { ctx } = rig;
    const w = await World.build(ctx, rig.smtp, 'policy');
    const day = 86_400_000;
    /** A Paris wall-clock instant, `days` after today (the tenant's and the browser's time zone). */
    const paris = (days: number, time: string) => zonedInstant(new Date(ctx.clock.now().getTime() + days * day).toISOString().slice(0, 10), time, 'Europe/Paris');
    const policy = async () => (await ctx.http.get('/v1/tenant/policy').set(w.dsi.auth).expect(200)).body;
    const before = await policy();
    expect(before).toMatchObject({ reportEmail: null, blackouts: [], reviewGraceDays: 15, logRetentionMonths: 18, logRetentionFloorMonths: 12 });

    const dsi = await ctx.createUser({ tenantId: w.tenantId, roles: [Role.Dsi], enrolled: true });
    const { page } = await openBrowser(rig.browser, ctx);
    const patches: Request[] = [];
    page.on('request', (r) => { if (r.method() === 'PATCH' && r.url().endsWith('/v1/tenant/policy')) patches.push(r); });
    /** The focused control: its name, or a button's text. */
    const focused = () => page.evaluate<string | null>('document.activeElement?.getAttribute("name") ?? document.activeElement?.textContent ?? null');
    await signInEnrolled(page, rig, '/contractors', dsi);
    await menu(page, 'Politique de l’établissement').click();
    await page.getByRole('heading', { name: 'Politique de l’établissement', level: 1 }).waitFor();
    await checkScreen(page, 'dsi-policy-as-stored');

    const reports = page.getByRole('group', { name: 'Rapports d’intervention', exact: true });
    const windows = page.getByRole('group', { name: 'Fenêtres : heures ouvrées et périodes d’interdiction', exact: true });
    const reviews = page.getByRole('group', { name: 'Revues d’accès', exact: true });
    const journal = page.getByRole('group', { name: 'Journal des connexions', exact: true });
    const passwords = page.getByRole('group', { name: 'Mots de passe et verrouillage', exact: true });
    // The stored values are drawn; TOTP is a stated fact (R-ART28), not a control.
    expect(await reviews.getByLabel('Délai de grâce (jours)').inputValue()).toBe('15');
    expect(await passwords.getByLabel('Longueur minimale').inputValue()).toBe('12');
    await passwords.getByRole('note').getByText('Double authentification (TOTP) : obligatoire pour toutes et tous.').waitFor();
    expect(await passwords.getByRole('checkbox').count()).toBe(4); // upper, lower, digit, special: none for MFA
    expect(await windows.getByText('Aucune période d’interdiction.').count()).toBe(1);

    await reports.getByLabel('Adresse des comptes rendus hors heures ouvrées').fill(REPORT_ADDRESS);
    // Rows added and removed with the keyboard: a new row takes the focus, a removed one gives it back to "add".
    const add = windows.getByRole('button', { name: 'Ajouter une période' });
    await add.focus();
    await page.keyboard.press('Enter');
    const period = windows.getByRole('group', { name: 'Période 1', exact: true });
    const from = paris(5, '00:00');
    const to = paris(6, '00:00');
    expect(await focused()).toBe('blackouts.0.label');
    await page.keyboard.type('Migration DPI');
    await add.click();
    await windows.getByRole('group', { name: 'Période 2', exact: true }).getByLabel('Libellé').fill('Brouillon');
    await windows.getByRole('button', { name: 'Retirer la période 2' }).focus();
    await page.keyboard.press('Enter');
    expect(await windows.getByRole('group', { name: 'Période 2', exact: true }).count()).toBe(0);
    expect(await focused()).toBe('Ajouter une période');
    await period.getByLabel('Début').fill(localInput(from));
    await period.getByLabel('Fin').fill(localInput(to));
    await reviews.getByLabel('Délai de grâce (jours)').fill('30');

    // A retention under the legal floor: the API's message beside the retention field, which takes the focus; nothing saved.
    await journal.getByLabel('Conservation du journal (mois)').fill('11');
    await page.getByRole('button', { name: 'Enregistrer la politique' }).click();
    await journal.locator('.field-invalid').waitFor();
    expect(await fieldError(page, 'Conservation du journal (mois)')).toContain('minimum légal de 12 mois');
    expect(await focused()).toBe('logRetentionMonths');
    expect(await policy()).toEqual(before);

    // Back to the stored retention: only the three fields changed are sent, and saved.
    await journal.getByLabel('Conservation du journal (mois)').fill('18');
    await page.getByRole('button', { name: 'Enregistrer la politique' }).click();
    await page.getByRole('status').filter({ hasText: 'Politique enregistrée.' }).waitFor();
    expect(patches).toHaveLength(2);
    const sent = patches[1].postDataJSON();
    expect(Object.keys(sent).sort()).toEqual(['blackouts', 'reportEmail', 'reviewGraceDays']);
    const expected = {
      ...before, reportEmail: REPORT_ADDRESS, reviewGraceDays: 30,
      blackouts: [{ label: 'Migration DPI', from: from.toISOString(), to: to.toISOString() }],
    };
    expect(await policy()).toEqual(expected);
    expect(await journal.locator('.field-invalid').count()).toBe(0);
    await checkScreen(page, 'dsi-policy');

    // Saving again without a change sends nothing.
    await page.getByRole('button', { name: 'Enregistrer la politique' }).click();
    await page.getByRole('status').filter({ hasText: 'Aucune modification à enregistrer.' }).waitFor();
    expect(patches).toHaveLength(2);

    // A reload shows the saved values.
    await page.reload();
    await page.getByRole('heading', { name: 'Politique de l’établissement', level: 1 }).waitFor();
    expect(await reports.getByLabel('Adresse des comptes rendus hors heures ouvrées').inputValue()).toBe(REPORT_ADDRESS);
    expect(await period.getByLabel('Libellé').inputValue()).toBe('Migration DPI');
    expect(await period.getByLabel('Début').inputValue()).toBe(localInput(from));
    expect(await period.getByLabel('Fin').inputValue()).toBe(localInput(to));
    expect(await reviews.getByLabel('Délai de grâce (jours)').inputValue()).toBe('30');
    expect(await journal.getByLabel('Conservation du journal (mois)').inputValue()).toBe('18');
    expect(consoleErrors(page)).toEqual([]);

    // What the contractor notices: a window requested in the blackout is flagged and needs an explicit override;
    // the same hours another night are not flagged.
    const { id: accountId } = await w.activeAccount('Yann', 'Fabre');
    const dpi = await w.resource('DPI', 'dpi');
    await w.habilitate(accountId, dpi);
    const request = (startsAt: Date, endsAt: Date) => ctx.http.post('/v1/interventions').set(w.securityContact.auth).send({
      contractorId: w.contractorId, accountIds: [accountId], resourceIds: [dpi], startsAt, endsAt,
      nature: 'Montée de version du DPI', risks: 'Redémarrage', availabilityImpact: 'DPI indisponible 1 h', changesSettings: true, changesData: false,
    }).expect(201);
    const inBlackout = await request(paris(5, '21:00'), paris(5, '22:00'));
    expect(inBlackout.body.usageConflict).toBe(true);
    const refused = await ctx.http.post(`/v1/interventions/${inBlackout.body.id}/approve`).set(w.dsi.auth).send({});
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 409, code: 'USAGE_OVERRIDE_REQUIRED' });
    expect((await request(paris(4, '21:00'), paris(4, '22:00'))).body.usageConflict).toBe(false);

    // The RSSI reads the same values: every control disabled, no save button.
    const rssi = await ctx.createUser({ tenantId: w.tenantId, roles: [Role.Rssi], enrolled: true });
    const other = await openBrowser(rig.browser, ctx);
    await signInEnrolled(other.page, rig, '/reviews', rssi);
    await menu(other.page, 'Politique de l’établissement').click();
    await other.page.getByText('Lecture seule : seule la DSI modifie la politique de l’établissement.').waitFor();
    const read = other.page.getByRole('main');
    expect(await read.getByLabel('Adresse des comptes rendus hors heures ouvrées').inputValue()).toBe(REPORT_ADDRESS);
    expect(await read.getByRole('group', { name: 'Période 1', exact: true }).getByLabel('Libellé').inputValue()).toBe('Migration DPI');
    expect(await read.getByLabel('Délai de grâce (jours)').inputValue()).toBe('30');
    expect(await read.locator('input, select, textarea').count()).toBeGreaterThan(20);
    expect(await read.locator('input:enabled, select:enabled, textarea:enabled, button:enabled').count()).toBe(0);
    expect(await read.getByRole('button', { name: 'Enregistrer la politique' }).count()).toBe(0);
    // In English on request, like every page.
    await other.page.getByRole('button', { name: 'EN', exact: true }).click();
    await other.page.getByRole('heading', { name: 'Establishment policy', level: 1 }).waitFor();
    expect(await read.getByRole('group', { name: 'Intervention reports', exact: true }).getByLabel('Address for after-hours reports').inputValue()).toBe(REPORT_ADDRESS);
    expect(consoleErrors(other.page)).toEqual([]);

    // An intervention after business hours: its report goes, the same day, to the address the DSI registered (Art. 43).
    const startsAt = paris(2, '20:00');
    const endsAt = paris(2, '22:00');
    const windowId = await w.approvedWindow([accountId], [dpi], startsAt, endsAt);
    await ctx.setClock(new Date(endsAt.getTime() + 30 * 60_000));
    await ctx.http.post(`/v1/interventions/${windowId}/report`).set(w.securityContact.auth).send({
      operations: 'Montée de version 8.1', intervenants: ['Yann Fabre'], actions: 'Arrêt, mise à jour, relance', difficulties: 'Aucune',
    }).expect(201);
    const [mail] = await rig.smtp.waitForSubject(REPORT_ADDRESS, "Compte rendu d'intervention (v1)");
    expect(bodyOf(mail.raw)).toContain('Arrêt, mise à jour, relance');
  }, 180_000);
});
