import { VALID_SIRETS } from '@app/testing';
import { seedDemoPeople } from '../scripts/demo-people';
import { seedDemo, SeededPerson } from '../scripts/seed';
import { describeApi } from './support/describe-api';

/** What `npm start` seeds on its embedded database, run here against the test's database and API. */
/** A part of the seed that fails only warns in npm start; here it fails the test. */
const fail = (line: string) => {
  throw new Error(line);
};

describeApi('Newcomer (issue 16): the demo people of npm start', { mail: false }, (rig) => {
  let people: SeededPerson[];

  beforeAll(async () => {
    const { ctx } = rig;
    const first = (await seedDemo(ctx.ownerUrl)) ?? [];
    // seedDemo stamps passwords with the database's now(): the test's clock catches up so that no token predates them.
    await ctx.setClock(new Date(Date.now() + 1000));
    people = [...first, ...(await seedDemoPeople(ctx.env, ctx.clock, fail))];
  });

  it('R-ART28: seeds a DSI, an RSSI, a referent and a contractor\'s contacts and intervenant, each signing in with the printed password', async () => {
    const { ctx } = rig;
    expect(people.map((p) => p.role)).toEqual([
      'platform_admin', 'dsi', 'rssi', 'referent', 'legal_rep', 'security_contact', 'security_deputy', 'staff',
    ]);
    for (const person of people) {
      // The first sign-in enrols TOTP, as the welcome block says.
      const signedIn = await ctx.signIn(person.email, person.password);
      const me = await ctx.http.get('/v1/me').set(signedIn.auth).expect(200);
      expect(me.body).toMatchObject({ email: person.email, roles: [person.role], status: 'active', mfaEnrolled: true });
    }
  });

  it('R-ART2 R-ART28 R-ART36: the contractor\'s gate is open, the referent designated, and the intervenant\'s account is active once TOTP is enrolled', async () => {
    const { ctx } = rig;
    const dsi = await ctx.signIn('dsi@ch-lemans.demo', people.find((p) => p.role === 'dsi')!.password);
    const contractors = await ctx.http.get('/v1/contractors').set(dsi.auth).expect(200);
    expect(contractors.body.items).toHaveLength(1);
    const [company] = contractors.body.items;
    expect((await ctx.http.get(`/v1/contractors/${company.id}/gate`).set(dsi.auth).expect(200)).body.open).toBe(true);
    const referents = await ctx.http.get(`/v1/contractors/${company.id}/referents`).set(dsi.auth).expect(200);
    expect(referents.body).toEqual([expect.objectContaining({ email: 'referent@ch-lemans.demo' })]);
    const accounts = await ctx.http.get(`/v1/contractors/${company.id}/accounts`).set(dsi.auth).expect(200);
    expect(accounts.body.items).toEqual([expect.objectContaining({ email: 'intervenant@mmo.demo', status: 'active' })]);
  });

  it('a restart seeds nothing twice', async () => {
    const { ctx } = rig;
    expect(await seedDemo(ctx.ownerUrl)).toBeNull();
    expect(await seedDemoPeople(ctx.env, ctx.clock, fail)).toEqual([]);
  });
});

describeApi('Newcomer (issue 16): a demo the DSI has changed', { mail: false }, (rig) => {
  it('a part that cannot be seeded is rolled back and said; the others are seeded', async () => {
    const { ctx } = rig;
    const [, dsiSeeded] = (await seedDemo(ctx.ownerUrl))!;
    await ctx.setClock(new Date(Date.now() + 1000));
    const dsi = await ctx.signIn(dsiSeeded.email, dsiSeeded.password);
    // The DSI declared another company under the demo contractor's SIRET.
    await ctx.http.post('/v1/contractors').set(dsi.auth).send({ legalName: 'Déjà là SAS', siret: VALID_SIRETS[0], address: 'Le Mans' }).expect(201);
    const warnings: string[] = [];
    const people = await seedDemoPeople(ctx.env, ctx.clock, (line) => warnings.push(line));
    expect(people.map((p) => p.role)).toEqual(['rssi', 'referent']);
    expect(warnings).toEqual([expect.stringMatching(/^Demo: Maintenance Médicale Ouest \(démo\) not seeded: /)]);
    expect(await ctx.query(`SELECT email FROM users WHERE email LIKE '%@mmo.demo'`)).toEqual([]);
  });
});
