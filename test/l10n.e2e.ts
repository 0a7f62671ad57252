import { describeApi } from './support/describe-api';

const NOBODY = '00000000-0000-4000-8000-000000000000';

/** R-L10N: the API's problems in the caller's language (the person's locale, else Accept-Language, else French). */
describeApi('R-L10N the language of the API\'s messages', { mail: false, tenant: true }, (rig) => {
  const unknownContractor = (headers: Record<string, string> = {}) =>
    rig.ctx.http.get(`/v1/contractors/${NOBODY}`).set(rig.dsi.auth).set(headers).expect(404);

  it('R-L10N a problem is in French by default, with Content-Language: fr, and names the thing, never its id', async () => {
    const res = await unknownContractor();
    expect(res.headers['content-language']).toBe('fr');
    expect(res.body).toMatchObject({ code: 'NOT_FOUND', detail: 'Ce prestataire est introuvable.' });
    expect(res.body.detail).not.toContain(NOBODY);
  });

  it('R-L10N before sign-in, Accept-Language: en answers in English; q-values choose among the languages the API speaks', async () => {
    const signIn = (language?: string) => {
      const request = rig.ctx.http.post('/v1/auth/login');
      if (language) request.set('Accept-Language', language);
      return request.send({ email: 'nobody@example.test', password: 'not the password at all' }).expect(401);
    };
    const fr = await signIn();
    expect(fr.body).toMatchObject({ code: 'INVALID_CREDENTIALS', detail: 'L\'adresse e-mail ou le mot de passe est incorrect.' });
    const en = await signIn('en');
    expect(en.headers['content-language']).toBe('en');
    expect(en.body.detail).toBe('E-mail or password is not correct');
    expect((await signIn('de;q=1, en-GB;q=0.8, fr;q=0.5')).body.detail).toBe('E-mail or password is not correct');
    expect((await signIn('en;q=0.2, fr-FR')).body.detail).toBe('L\'adresse e-mail ou le mot de passe est incorrect.');
  });

  it('R-L10N a signed-in person reads their own locale: English for an English-speaking person, whatever the browser asks', async () => {
    await rig.ctx.query(`UPDATE users SET locale = 'en' WHERE id = $1`, [rig.dsi.userId]);
    try {
      const res = await unknownContractor({ 'Accept-Language': 'fr' });
      expect(res.headers['content-language']).toBe('en');
      expect(res.body.detail).toBe('This contractor was not found');
    } finally {
      await rig.ctx.query(`UPDATE users SET locale = 'fr' WHERE id = $1`, [rig.dsi.userId]);
    }
  });

  it('R-L10N R-INT a person switches to English (five times at once: one change) and back; each change audited once; an unknown language refused', async () => {
    const set = (locale: string) => rig.ctx.http.put('/v1/me/locale').set(rig.dsi.auth).send({ locale });
    const switched = await Promise.all(Array.from({ length: 5 }, () => set('en')));
    expect(switched.map((r) => [r.status, r.body.locale])).toEqual(Array.from({ length: 5 }, () => [200, 'en']));
    expect((await unknownContractor({ 'Accept-Language': 'fr' })).body.detail).toBe('This contractor was not found');
    expect((await set('fr').expect(200)).body).toMatchObject({ locale: 'fr' });
    expect((await unknownContractor({ 'Accept-Language': 'en' })).body.detail).toBe('Ce prestataire est introuvable.');
    const refused = await set('de').expect(400);
    expect(refused.body.errors.map((e: { field: string }) => e.field)).toEqual(['locale']);
    const audit = await rig.ctx.http.get('/v1/audit-events').query({ action: 'user.locale_changed' }).set(rig.dsi.auth).expect(200);
    expect(audit.body.items.map((e: { after: { locale: string } }) => e.after.locale)).toEqual(['fr', 'en']);
  });

  it('R-L10N a field message uses the form\'s label, in French by default and in English for an English-speaking person', async () => {
    const body = { legalName: '', siret: '73282932000074', address: 'Le Mans' };
    const fr = await rig.ctx.http.post('/v1/contractors').set(rig.dsi.auth).send(body).expect(400);
    expect(fr.body).toMatchObject({ code: 'VALIDATION_FAILED', detail: 'La demande comporte 1 champ invalide.' });
    expect(fr.body.errors).toEqual([{ field: 'legalName', message: 'La raison sociale doit contenir au moins 1 caractère.' }]);
    await rig.ctx.query(`UPDATE users SET locale = 'en' WHERE id = $1`, [rig.dsi.userId]);
    try {
      const en = await rig.ctx.http.post('/v1/contractors').set(rig.dsi.auth).send(body).expect(400);
      expect(en.body.errors).toEqual([{ field: 'legalName', message: 'The legal name must be at least 1 character long' }]);
    } finally {
      await rig.ctx.query(`UPDATE users SET locale = 'fr' WHERE id = $1`, [rig.dsi.userId]);
    }
  });

  it('R-L10N R-ART41 an export without a reason says once that the reason is required; a reason of the wrong type, its type', async () => {
    const period = { from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z', format: 'csv' };
    const res = await rig.ctx.http.post('/v1/connection-exports').set(rig.dsi.auth).send(period).expect(400);
    expect(res.body).toMatchObject({ detail: 'La demande comporte 1 champ invalide.' });
    expect(res.body.errors).toEqual([{ field: 'reason', message: 'Le motif est obligatoire.' }]);
    const typed = await rig.ctx.http.post('/v1/connection-exports').set(rig.dsi.auth).send({ ...period, reason: 12 }).expect(400);
    expect(typed.body.errors).toEqual([{ field: 'reason', message: 'Le motif doit être un texte.' }]);
  });

  it('R-L10N R-ART36 a decision asked without X-Api-Key is told the API key is missing, not an access token', async () => {
    const res = await rig.ctx.http.post('/v1/access-decisions').send({ account: NOBODY, resource: 'dpi' }).expect(401);
    expect(res.body.code).toBe('INVALID_API_KEY');
    expect(res.body.detail).toContain('clé d\'API est absente');
    expect(res.body.detail).not.toMatch(/jeton|token/i);
  });
});
