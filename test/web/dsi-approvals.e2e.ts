import { Role } from '@app/core';
import { nextSiret, World } from '@app/testing';
import { checkScreen, confirmAct, consoleErrors, describeConsole, menu, openBrowser, screenshot, signInEnrolled } from './console-harness';

const COMPANIES = 40;
const ACCOUNTS = 205; // more than one page (200) of the accounts to approve

describeConsole('Web console: the DSI\'s approvals queue reads a few tenant-wide lists, whatever the number of companies (issue 9)', (rig) => {
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
    const listRequests: URL[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/v1/contractors')) listRequests.push(url);
    });
    await signInEnrolled(page, rig, '/contractors', dsi);
    await page.getByRole('heading', { name: 'Prestataires', level: 1 }).waitFor();
    await page.getByRole('row', { name: /File 39 SAS/ }).getByText('Accès fermé').waitFor();
    await page.waitForLoadState('networkidle');
    // R-ART2: the 40 companies come with their gates in one request, none per company; the gate filter asks the API.
    expect(listRequests.map((u) => u.pathname)).toEqual(['/v1/contractors']);
    await page.getByLabel('Accès', { exact: true }).selectOption('closed');
    await page.getByRole('row', { name: /webqueue SAS/ }).waitFor({ state: 'detached' });
    expect(await page.getByRole('row').count()).toBe(COMPANIES - 1 + 1); // every company but the World's open one, and the header
    await page.getByLabel('Accès', { exact: true }).selectOption('open');
    await page.getByRole('row', { name: /webqueue SAS/ }).getByText('Accès ouvert').waitFor();
    expect(await page.getByRole('row').count()).toBe(2);
    expect(listRequests.slice(1).map((u) => u.searchParams.get('gate'))).toEqual(['closed', 'open']);

    const requests: URL[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/v1/')) requests.push(url);
    });
    await menu(page, 'À valider').click();
    await page.getByRole('heading', { name: `Comptes à approuver (${ACCOUNTS})` }).waitFor();
    const queue = page.getByRole('region', { name: 'Habilitations à approuver (3)' });
    await queue.getByRole('row', { name: /Personne N204/ }).waitFor();
    await checkScreen(page, 'dsi-approvals-many');

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
    expect(await confirmAct(page, /^Le compte de Personne N000 .* sera approuvé ; une invitation lui sera envoyée par e-mail\.$/)).toMatch(/^Compte de Personne N000 approuvé ; l’invitation est envoyée\.$/);
    await page.getByRole('heading', { name: `Comptes à approuver (${ACCOUNTS - 1})` }).waitFor();
    expect((await ctx.http.get(`/v1/accounts/${accounts[0]}`).set(w.dsi.auth).expect(200)).body.status).toBe('approved');
    expect(consoleErrors(page)).toEqual([]);
  });

  /**
   * 500 companies and 5,000 accounts seeded in SQL (a few % of accounts, habilitations and conventions waiting): the page
   * asks neither per company nor per account (that is 5,000 requests, past the per-address rate limit).
   */
  it('R-ART28 R-ART31 R-ART2 at 500 companies and 5,000 accounts the queue is a score of requests, none refused, and shows every row waiting', async () => {
    const { ctx } = rig;
    const w = await World.build(ctx, rig.smtp, 'webqueue-large');
    await ctx.query(`
      INSERT INTO contractors (tenant_id, legal_name, siret, address)
      SELECT $1, 'Grande file ' || i, lpad(i::text, 14, '0'), 'Le Mans' FROM generate_series(1, 500) i`, [w.tenantId]);
    await ctx.query(`
      INSERT INTO accounts (tenant_id, contractor_id, first_name, last_name, email, phone, shared, status, requested_at)
      SELECT c.tenant_id, c.id, 'Personne', 'G' || g || '-' || c.siret, 'p' || g || '.' || c.siret || '@large.test', '+33 6 00 00 00 00', false,
        CASE WHEN (c.siret::int * 10 + g) % 25 = 0 THEN 'requested' WHEN (c.siret::int * 10 + g) % 5 = 1 THEN 'deactivated' ELSE 'active' END,
        $2::timestamptz - make_interval(secs => ((c.siret::int * 10 + g) * 7919) % 50000000)
      FROM contractors c, generate_series(1, 10) g WHERE c.tenant_id = $1 AND c.legal_name LIKE 'Grande file %'`, [w.tenantId, ctx.clock.now()]);
    await ctx.query(`INSERT INTO resources (tenant_id, name, kind, criticality) SELECT $1, 'Grande R' || i, 'application', 'high' FROM generate_series(1, 50) i`, [w.tenantId]);
    await ctx.query(`
      INSERT INTO habilitations (tenant_id, account_id, resource_id, access_type, level, status, requested_at)
      SELECT a.tenant_id, a.id, (SELECT id FROM resources r WHERE r.tenant_id = a.tenant_id AND r.name = 'Grande R' || (1 + (abs(hashtext(a.id::text || g)) % 50))),
        'remote', 'read', CASE WHEN abs(hashtext(a.email || g)) % 33 = 0 THEN 'requested' ELSE 'approved' END, a.requested_at + make_interval(days => g)
      FROM accounts a, generate_series(1, 3) g WHERE a.tenant_id = $1 AND a.email LIKE '%@large.test'`, [w.tenantId]);
    await ctx.query(`
      INSERT INTO signatures (tenant_id, contractor_id, document_id, account_id, signer_first_name, signer_last_name, signer_function, signed_on,
        all_pages_initialled, file_sha256, file_size, filename, status, submitted_at, decided_at)
      SELECT a.tenant_id, a.contractor_id, d.id, a.id, a.first_name, a.last_name, 'Intervenant', a.requested_at::date, true, d.file_sha256, d.file_size, 'convention.pdf',
        CASE WHEN abs(hashtext(a.email)) % 20 = 0 THEN 'submitted' ELSE 'validated' END, a.requested_at,
        CASE WHEN abs(hashtext(a.email)) % 20 = 0 THEN NULL ELSE a.requested_at END
      FROM accounts a JOIN documents d ON d.id = $2 WHERE a.tenant_id = $1 AND a.email LIKE '%@large.test'`, [w.tenantId, w.conventionId]);
    await ctx.query('ANALYZE');
    const [waiting] = await ctx.query<{ accounts: number; habilitations: number; signatures: number }>(`SELECT
      (SELECT count(*) FROM accounts WHERE tenant_id = $1 AND status = 'requested')::int AS accounts,
      (SELECT count(*) FROM habilitations h JOIN accounts a ON a.id = h.account_id
        WHERE h.tenant_id = $1 AND h.status = 'requested' AND a.status IN ('requested', 'approved', 'active'))::int AS habilitations,
      (SELECT count(*) FROM signatures WHERE tenant_id = $1 AND status = 'submitted')::int AS signatures`, [w.tenantId]);

    const dsi = await ctx.createUser({ tenantId: w.tenantId, roles: [Role.Dsi], enrolled: true });
    const { page } = await openBrowser(rig.browser, ctx);
    await signInEnrolled(page, rig, '/documents', dsi);
    await page.getByRole('heading', { name: 'Documents de l’établissement', level: 1 }).waitFor();
    await page.waitForLoadState('networkidle');
    await checkScreen(page, 'dsi-documents-empty');
    const answers: { path: string; status: number }[] = [];
    page.on('response', (response) => {
      const url = new URL(response.url());
      if (url.pathname.startsWith('/v1/')) answers.push({ path: url.pathname, status: response.status() });
    });
    const started = Date.now();
    await menu(page, 'À valider').click();
    for (const heading of [`Comptes à approuver (${waiting.accounts})`, `Habilitations à approuver (${waiting.habilitations})`, `Documents signés à valider (${waiting.signatures})`]) {
      await page.getByRole('heading', { name: heading }).waitFor({ timeout: 60_000 });
    }
    const shown = Date.now() - started;
    await page.waitForLoadState('networkidle');
    console.log(`approvals page, 500 companies and 5,000 accounts (${JSON.stringify(waiting)} waiting): ${answers.length} requests, shown in ${shown} ms`);
    expect(answers.length).toBeLessThanOrEqual(25);
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    expect(consoleErrors(page)).toEqual([]);
  }, 180_000);
});
