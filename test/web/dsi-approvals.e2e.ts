import { Role } from '@app/core';
import { nextSiret, World } from '@app/testing';
import { consoleErrors, openBrowser, screenshot, signInEnrolled, useConsoleRig } from './console-harness';

const COMPANIES = 40;
const ACCOUNTS = 205; // more than one page (200) of the accounts to approve

describe('Web console: the DSI\'s approvals queue reads a few tenant-wide lists, whatever the number of companies (issue 9)', () => {
  const rig = useConsoleRig();

  it('R-ART28 R-ART31 R-ART2 the queue of 40 companies and 205 accounts to approve comes in about ten requests, every page followed, and shrinks as the DSI approves', async () => {
    const { ctx } = rig;
    const w = await World.build(ctx, rig.smtp, 'webqueue');
    const companies = [w.contractorId];
    for (let i = 1; i < COMPANIES; i++) {
      companies.push((await ctx.http.post('/v1/contractors').set(w.dsi.auth).send({ legalName: `File ${String(i).padStart(2, '0')} SAS`, siret: nextSiret(), address: 'Le Mans' }).expect(201)).body.id);
    }
    const accounts: string[] = [];
    for (let i = 0; i < ACCOUNTS; i++) {
      accounts.push((await ctx.http.post(`/v1/contractors/${companies[i % COMPANIES]}/accounts`).set(w.dsi.auth)
        .send({ firstName: 'Personne', lastName: `N${String(i).padStart(3, '0')}`, email: `personne.${i}@webqueue.test`, phone: '+33 6 00 00 00 00' }).expect(201)).body.id);
    }
    // Three habilitations to approve, of the last accounts (on the second page of accounts).
    const pacs = await w.resource('PACS File', 'pacs-file');
    for (const accountId of accounts.slice(-3)) {
      await ctx.http.post(`/v1/accounts/${accountId}/habilitations`).set(w.dsi.auth).send({ resourceId: pacs, accessType: 'remote', level: 'read' }).expect(201);
    }

    const dsi = await ctx.createUser({ tenantId: w.tenantId, roles: [Role.Dsi], enrolled: true });
    const { page } = await openBrowser(rig.browser, ctx);
    await signInEnrolled(page, rig, '/contractors', dsi);
    await page.getByRole('heading', { name: 'Prestataires', level: 1 }).waitFor();
    await page.waitForLoadState('networkidle'); // the list's own requests (each company's gate) are over

    const requests: URL[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/v1/')) requests.push(url);
    });
    await page.getByRole('link', { name: 'À valider' }).click();
    await page.getByRole('heading', { name: `Comptes à approuver (${ACCOUNTS})` }).waitFor();
    const queue = page.getByRole('region', { name: 'Habilitations à approuver (3)' });
    await queue.getByRole('row', { name: /Personne N204/ }).waitFor();
    await screenshot(page, 'dsi-approvals-many');

    // A handful of tenant-wide lists, never one per company or per account; the 205 accounts in two pages.
    const paths = requests.map((u) => u.pathname);
    console.log(`approvals page: ${requests.length} requests for ${COMPANIES} companies and ${ACCOUNTS} accounts: ${requests.map((u) => `${u.pathname}${u.search}`.slice(0, 80)).join(' ')}`);
    expect(requests.length).toBeLessThanOrEqual(12);
    expect(paths.filter((p) => /^\/v1\/(contractors|accounts)\/[0-9a-f-]{36}\//.test(p))).toEqual([]);
    const accountPages = requests.filter((u) => u.pathname === '/v1/accounts' && u.searchParams.get('status') === 'requested');
    expect(accountPages.map((u) => u.searchParams.has('cursor'))).toEqual([false, true]);
    expect(await page.getByRole('region', { name: `Comptes à approuver (${ACCOUNTS})` }).getByRole('row').count()).toBe(ACCOUNTS + 1);

    // Approving one from the queue: it leaves the queue.
    await page.getByRole('region', { name: `Comptes à approuver (${ACCOUNTS})` }).getByRole('row', { name: /Personne N000/ })
      .getByRole('button', { name: 'Approuver' }).click();
    await page.getByRole('heading', { name: `Comptes à approuver (${ACCOUNTS - 1})` }).waitFor();
    expect((await ctx.http.get(`/v1/accounts/${accounts[0]}`).set(w.dsi.auth).expect(200)).body.status).toBe('approved');
    expect(consoleErrors(page)).toEqual([]);
  });
});
