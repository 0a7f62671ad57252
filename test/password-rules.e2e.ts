import { bodyOf } from '@app/testing';
import { translate } from '../apps/web/src/translate';
import { passwordHint, PasswordRules } from '../apps/web/src/password-hint';
import { describeApi } from './support/describe-api';

/** Issue 16: the hint under a new password names every rule the API enforces, from the rules the API reports. */
describeApi('Password rules (R-POL, issue 16)', {}, (rig) => {
  let rules: PasswordRules;
  let token: string;
  const email = 'nouvelle.rssi@ch-test.fr';

  beforeAll(async () => {
    const { ctx, smtp } = rig;
    const { dsi } = await ctx.tenantWithDsi();
    await ctx.http.patch('/v1/tenant/policy').set(dsi.auth).send({ password: { minLength: 14, requireSpecial: false } }).expect(200);
    await ctx.http.post('/v1/users').set(dsi.auth).send({ email, firstName: 'Nina', lastName: 'Roux', roles: ['rssi'] }).expect(201);
    const [mail] = await smtp.waitFor(email);
    token = /accept-invitation\?token=([\w-]+)/.exec(bodyOf(mail.raw))![1];
  });

  it('R-POL the invitation\'s page reads the establishment\'s rules; an unknown link is refused', async () => {
    const { ctx } = rig;
    rules = (await ctx.http.get('/v1/auth/invitations/password-rules').query({ token }).expect(200)).body;
    expect(rules).toEqual({
      minLength: 14, maxLength: 256, requireUpper: true, requireLower: true, requireDigit: true, requireSpecial: false, notEmailName: true,
    });
    const unknown = await ctx.http.get('/v1/auth/invitations/password-rules').query({ token: 'x'.repeat(40) }).expect(400);
    expect(unknown.body.code).toBe('INVITATION_INVALID');
  });

  it('R-POL every rule reported is enforced: a password breaking only that rule is refused, one keeping them all is taken', async () => {
    const { ctx } = rig;
    const good = 'Quatorze-Lettres7';
    const breaking = {
      minLength: 'Court7abcdeXY', maxLength: `A7${'b'.repeat(255)}`, requireUpper: good.toLowerCase(), requireLower: good.toUpperCase(),
      requireDigit: 'Quatorze-Lettres', notEmailName: `${good}nouvelle.rssi`,
    };
    for (const [rule, password] of Object.entries(breaking)) {
      const res = await ctx.http.post('/v1/auth/invitations/accept').send({ token, password });
      expect({ rule, status: res.status }).toEqual({ rule, status: 400 });
    }
    await ctx.http.post('/v1/auth/invitations/accept').send({ token, password: 'Quatorze Lettres7' }).expect(200);
    const rssi = await ctx.signIn(email, 'Quatorze Lettres7');
    expect((await ctx.http.get('/v1/me/password-rules').set(rssi.auth).expect(200)).body).toEqual(rules);
  });

  it('R-POL R-L10N the console\'s hint names each reported rule, in French and in English, and no rule it does not report', () => {
    const fr = passwordHint(rules, (key, vars) => translate('fr', key, vars));
    expect(fr).toBe('De 14 à 256 caractères, avec au moins une majuscule, une minuscule et un chiffre, '
      + 'sans la partie de votre adresse e-mail qui précède le @.');
    const en = passwordHint({ ...rules, requireSpecial: true, requireLower: false }, (key, vars) => translate('en', key, vars));
    expect(en).toBe('From 14 to 256 characters, with at least one upper-case letter, one digit and one special character, '
      + 'without the part of your e-mail address before the @.');
  });
});
