import { describeApi } from './support/describe-api';

/** Issue 16: the People page's company filter, and the intervenants a report form starts from. */
describeApi('People by company and a window\'s intervenants (issue 16)', { world: 'edges' }, (rig) => {
  it('R-ART28 the establishment\'s people are filtered by company: its own staff, or one contractor\'s people', async () => {
    const { ctx, w } = rig;
    const list = async (company?: string) => (await ctx.http.get('/v1/users').query(company ? { company } : {}).set(w.dsi.auth).expect(200)).body.items
      .map((p: { email: string; contractorId: string | null }) => [p.email, p.contractorId]).sort();
    const everyone = await list();
    expect(await list('staff')).toEqual([[w.dsi.email, null]]);
    expect(await list(w.contractorId)).toEqual(everyone.filter(([, contractorId]: [string, string | null]) => contractorId === w.contractorId));
    expect((await list(w.contractorId)).length).toBe(3); // its legal representative, security contact and deputy
    expect([...(await list('staff')), ...(await list(w.contractorId))].sort()).toEqual(everyone);
    const bad = await ctx.http.get('/v1/users').query({ company: 'acme' }).set(w.dsi.auth).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['company']);
  });

  it('R-ART42 a window\'s intervenants are named for whoever reads the window, not the person signed in', async () => {
    const { ctx, w } = rig;
    const { id, accounts: [alice, bruno] } = await w.windowOf([['Alice', 'Roux'], ['Bruno', 'Blanc']], 'PACS Edges');
    const expected = [{ accountId: bruno.id, name: 'Bruno Blanc' }, { accountId: alice.id, name: 'Alice Roux' }];
    for (const reader of [w.securityContact, alice.holder, w.dsi]) {
      expect((await ctx.http.get(`/v1/interventions/${id}/intervenants`).set(reader.auth).expect(200)).body).toEqual(expected);
    }
    const other = await w.activeAccount('Chloé', 'Vidal'); // same company, not named in the window
    await ctx.http.get(`/v1/interventions/${id}/intervenants`).set(other.holder.auth).expect(404);
  });
});
