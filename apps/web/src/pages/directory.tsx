import { FormEvent, useRef, useState } from 'react';
import { api, listAll, ok, Resource } from '../api';
import type { components } from '../api/schema';
import { Checkbox, Field, formBody, FormStatus, readForm, Select, Submit, TextArea, useForm, Values } from '../forms';
import { useI18n } from '../i18n';
import { PagedTable } from '../table';
import { Badge, Loading, PageTitle, ProblemBox, Section, StepsTest, unlessMissing, useLoad, usePaged } from '../ui';
import { SsoSettings } from './sso-settings';

type Connector = components['schemas']['ConnectorView'];
type TestStep = components['schemas']['ConnectorStepView']['step'];
type SaveConnector = components['schemas']['SaveConnectorDto'];

/** R-PROV R-SSO the DSI's "Annuaire et SSO" screen: the LDAP connector, its test in plain French, the drift found, the OpenID provider. */
export function DirectoryPage() {
  const { t } = useI18n();
  const connector = useLoad(() => unlessMissing(ok(api.GET('/v1/directory/connector'))), []);
  const resources = useLoad(() => listAll((cursor) => api.GET('/v1/resources', { params: { query: { cursor } } })), []);
  // Once saved, the answer is the connector shown: the form stays as it is, with its "saved" line.
  const [saved, setSaved] = useState<Connector | null>(null);
  const current = saved ?? connector.data ?? null;
  return (
    <>
      <PageTitle>{t('directory.title')}</PageTitle>
      <p className="muted">{t('directory.intro')}</p>
      <ProblemBox problem={connector.problem ?? resources.problem} />
      <Loading when={connector.loading || resources.loading} />
      {!connector.loading && resources.data && (
        <ConnectorForm connector={connector.data ?? null} resources={resources.data} onSaved={setSaved} />
      )}
      {current && <ConnectorTestCard />}
      {current && <Drifts />}
      <SsoSettings />
    </>
  );
}

/** The form's values as the API's body: the group rows in screen order, blank secrets left out (kept by the API). */
function connectorBody(form: HTMLFormElement, rows: number): Values {
  const values = readForm(form);
  const groups = (values.groups ?? {}) as Record<string, { resourceId?: string; groupDn?: string }>;
  values.groups = Array.from({ length: rows }, (_, i) => ({ resourceId: groups[i]?.resourceId ?? '', groupDn: groups[i]?.groupDn ?? '' }));
  values.autoCorrect = values.autoCorrect === true;
  return values;
}

function ConnectorForm({ connector, resources, onSaved }: { connector: Connector | null; resources: Resource[]; onSaved: (c: Connector) => void }) {
  const { t } = useI18n();
  const form = useForm();
  const [rows, setRows] = useState(() => (connector?.groups ?? []).map((g, i) => ({ key: i, initial: g as typeof g | null })));
  const nextKey = useRef(rows.length);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const body = connectorBody(event.currentTarget, rows.length);
    void form.run(async () => {
      onSaved(await ok(api.PUT('/v1/directory/connector', { body: formBody<SaveConnector>(body) })));
    }, t('directory.saved'));
  };
  const options = resources.map((r) => ({ value: r.id, label: r.name }));
  return (
    <form noValidate onSubmit={submit} aria-label={t('directory.connector')} className="card">
      <h2>{t('directory.connector')}</h2>
      {!connector && <p className="alert alert-info">{t('directory.notConfigured')}</p>}
      <Field form={form} name="url" label={t('directory.url')} hint={t('directory.urlHint')} defaultValue={connector?.url ?? ''} required />
      <Field form={form} name="bindDn" label={t('directory.bindDn')} defaultValue={connector?.bindDn ?? ''} required autoComplete="off" />
      <Field form={form} name="bindSecret" type="password" label={t('directory.bindSecret')} autoComplete="new-password"
        hint={connector?.hasBindSecret ? t('directory.bindSecretKept') : undefined} required={!connector} />
      <Field form={form} name="baseDn" label={t('directory.baseDn')} defaultValue={connector?.baseDn ?? ''} required />
      <div className="grid2">
        <Select form={form} name="disableMode" label={t('directory.disableMode')} defaultValue={connector?.disableMode ?? 'openldap-lock'}
          options={(['openldap-lock', 'ad-uac'] as const).map((m) => ({ value: m, label: t(`directory.mode.${m}`) }))} />
        <Field form={form} name="lockAttribute" label={t('directory.lockAttribute')} hint={t('directory.lockAttributeHint')}
          defaultValue={connector?.lockAttribute ?? 'pwdAccountLockedTime'} />
      </div>
      <TextArea form={form} name="caCertificate" label={t('directory.ca')} hint={connector?.hasCaCertificate ? t('directory.caKept') : undefined} />
      <fieldset>
        <legend>{t('directory.groups')}</legend>
        <p className="hint">{t('directory.groupsHint')}</p>
        {rows.map((row, i) => (
          <div key={row.key} className="grid3">
            <Select form={form} name={`groups.${i}.resourceId`} label={t('directory.resource')} options={options} placeholder=""
              defaultValue={row.initial?.resourceId ?? ''} />
            <Field form={form} name={`groups.${i}.groupDn`} label={t('directory.groupDn')} defaultValue={row.initial?.groupDn ?? ''} />
            <button type="button" className="danger" onClick={() => setRows((current) => current.filter((r) => r.key !== row.key))}>
              {t('directory.removeGroup')}
            </button>
          </div>
        ))}
        <button type="button" onClick={() => setRows((current) => [...current, { key: nextKey.current++, initial: null }])}>
          {t('directory.addGroup')}
        </button>
      </fieldset>
      <Checkbox form={form} name="autoCorrect" data-kind="bool" label={t('directory.autoCorrect')} defaultChecked={connector?.autoCorrect ?? false} />
      <div className="form-footer">
        <FormStatus form={form} />
        <Submit form={form}>{t('directory.save')}</Submit>
      </div>
    </form>
  );
}

/** The test button: each failed step said in French, with the directory's own words underneath. */
function ConnectorTestCard() {
  const { t } = useI18n();
  return (
    <section className="card" aria-live="polite">
      <StepsTest<TestStep> label={t('directory.test')} okText={t('directory.testOk')} saidText={t('directory.said')}
        stepText={(step) => t(`directory.step.${step}`)} run={() => ok(api.POST('/v1/directory/connector/test'))} />
    </section>
  );
}

function Drifts() {
  const { t, dateTime } = useI18n();
  const form = useForm();
  const [round, setRound] = useState(0);
  const paged = usePaged((cursor, limit) => api.GET('/v1/directory/drifts', { params: { query: { cursor, limit } } }), [round]);
  const [summary, setSummary] = useState<string | null>(null);
  const reconcile = () => void form.run(async () => {
    const done = await ok(api.POST('/v1/directory/reconcile'));
    setSummary(t('directory.reconciled', { count: done.drifts.length, corrected: done.corrected }));
    setRound((r) => r + 1);
  });
  return (
    <Section id="drifts" title={t('directory.drifts')}
      actions={<button type="button" onClick={reconcile} disabled={form.busy}>{t('directory.reconcile')}</button>}>
      <ProblemBox problem={form.problem} />
      {summary && <p role="status">{summary}</p>}
      <PagedTable paged={paged} empty={t('directory.driftsNone')} label={t('directory.drifts')} columns={[
        { header: t('directory.kind'), cell: (d) => t(`directory.kind.${d.kind}`) },
        { header: t('directory.entry'), cell: (d) => <code>{d.dn}{d.groupDn ? ` → ${d.groupDn}` : ''}</code> },
        { header: t('directory.detected'), cell: (d) => dateTime(d.detectedAt) },
      ]} />
    </Section>
  );
}

/** R-PROV an account's entry in the directory, on its details (DSI, RSSI): nothing when no entry is needed. */
export function DirectoryState({ accountId }: { accountId: string }) {
  const { t, dateTime } = useI18n();
  const state = useLoad(() => ok(api.GET('/v1/directory/accounts/{accountId}', { params: { path: { accountId } } })), [accountId]);
  const s = state.data;
  if (!s || s.state === 'none') return null;
  const tone = s.state === 'in_step' ? 'ok' : s.state === 'pending' ? 'info' : 'bad';
  return (
    <p className="directory-state">
      <Badge tone={tone}>{t(`directory.state.${s.state}`)}</Badge>{' '}
      {s.dn && <code>{s.dn}</code>}{' '}
      {s.syncedAt && <span className="muted">{t('directory.syncedAt', { at: dateTime(s.syncedAt) })}</span>}
      {s.state === 'failed' && s.message && <span className="muted"> {t('directory.said')} <DirectoryWords text={s.message} /></span>}
    </p>
  );
}

/** The directory's own answer, verbatim (the DSI searches it in the directory's documentation): its words, not the console's. */
function DirectoryWords({ text }: { text: string }) {
  return <q translate="no">{text}</q>;
}
