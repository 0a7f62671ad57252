import { Secrets } from '@app/core';
import { describeApi } from './support/describe-api';

/** R-PROV R-INT the connector's settings saved at once by several DSIs: a save without a new password never undoes one with it. */
describeApi('R-PROV R-INT the directory connector saved in parallel', { world: 'dirrace' }, (rig) => {
  const connector = (bindSecret?: string) => ({
    url: 'ldaps://annuaire.hopital.test:636', bindDn: 'cn=prestagate,ou=services,dc=hopital,dc=test',
    baseDn: 'ou=prestataires,dc=hopital,dc=test', disableMode: 'openldap-lock', groups: [], autoCorrect: false,
    ...(bindSecret ? { bindSecret } : {}),
  });
  const storedSecret = async () => {
    const [row] = await rig.ctx.query<{ bind_secret_enc: string }>(
      `SELECT bind_secret_enc FROM directory_connectors WHERE tenant_id = $1`, [rig.w.tenantId],
    );
    return rig.ctx.api.get(Secrets).decrypt(row.bind_secret_enc);
  };

  it('R-PROV R-INT ten saves without a password and one with a new one, at once: the new password is kept, each save audited', async () => {
    const { ctx, w } = rig;
    await ctx.http.put('/v1/directory/connector').set(w.dsi.auth).send(connector('ancien-secret')).expect(200);
    const saves = [...Array.from({ length: 10 }, () => connector()), connector('nouveau-secret')];
    const answers = await Promise.all(saves.map((body) => ctx.http.put('/v1/directory/connector').set(w.dsi.auth).send(body)));
    expect(answers.map((r) => r.status)).toEqual(saves.map(() => 200));
    expect(await storedSecret()).toBe('nouveau-secret');
    const audited = await ctx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE tenant_id = $1 AND action = 'directory.connector_saved'`, [w.tenantId],
    );
    expect(audited[0].n).toBe(12);
  });
});
