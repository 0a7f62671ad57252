import { useState } from 'react';
import { api, listAll, ok } from '../api';
import type { components } from '../api/schema';
import { Checkbox, CheckboxGroup, Field, formBody, FormStatus, Select, Submit, TextArea, useForm } from '../forms';
import { useI18n } from '../i18n';
import { Loading, ProblemBox, Section, StepsTest, unlessMissing, useLoad } from '../ui';

type Provider = components['schemas']['SsoProviderView'];
type TestStep = components['schemas']['SsoTestStepView']['step'];
type SaveProvider = components['schemas']['SaveSsoProviderDto'];

/** R-SSO the DSI's section of "Annuaire et SSO": the establishment's OpenID provider, and its test said in French. */
export function SsoSettings() {
  const { t } = useI18n();
  const provider = useLoad(() => unlessMissing(ok(api.GET('/v1/sso'))), []);
  const contractors = useLoad(() => listAll((cursor) => api.GET('/v1/contractors', { params: { query: { cursor } } })), []);
  const [saved, setSaved] = useState<Provider | null>(null);
  const current = saved ?? provider.data ?? null;
  return (
    <Section id="sso" title={t('sso.settings')}>
      <p className="muted">{t('sso.intro')}</p>
      <ProblemBox problem={provider.problem ?? contractors.problem} />
      <Loading when={provider.loading || contractors.loading} />
      {!provider.loading && contractors.data && (
        <ProviderForm provider={current} companies={contractors.data.map((c) => ({ value: c.id, label: c.legalName }))} onSaved={setSaved} />
      )}
      {current && <ProviderTestCard />}
    </Section>
  );
}

function ProviderForm({ provider, companies, onSaved }: {
  provider: Provider | null; companies: { value: string; label: string }[]; onSaved: (p: Provider) => void;
}) {
  const { t } = useI18n();
  const form = useForm();
  return (
    <form noValidate aria-label={t('sso.settings')} onSubmit={form.onSubmit(async (values) => {
      onSaved(await ok(api.PUT('/v1/sso', { body: formBody<SaveProvider>({ contractorIds: [], ...values }) })));
    }, { success: t('sso.saved') })}>
      {!provider && <p className="alert alert-info">{t('sso.notConfigured')}</p>}
      <Checkbox form={form} name="enabled" label={t('sso.enabled')} defaultChecked={provider?.enabled ?? true} />
      <Field form={form} name="issuer" label={t('sso.issuer')} hint={t('sso.issuerHint')} defaultValue={provider?.issuer ?? ''} required />
      <Field form={form} name="clientId" label={t('sso.clientId')} defaultValue={provider?.clientId ?? ''} required autoComplete="off" />
      <Field form={form} name="clientSecret" type="password" label={t('sso.clientSecret')} autoComplete="new-password"
        hint={provider?.hasClientSecret ? t('sso.clientSecretKept') : undefined} required={!provider} />
      {provider && <p>{t('sso.redirectUri')} <code translate="no">{provider.redirectUri}</code></p>}
      <TextArea form={form} name="emailDomains" data-kind="lines" label={t('sso.domains')} defaultValue={provider?.emailDomains.join('\n') ?? ''} required />
      <div className="grid2">
        <Select form={form} name="mfaClaim" label={t('sso.mfaClaim')} defaultValue={provider?.mfaClaim ?? 'amr'}
          options={(['amr', 'acr'] as const).map((c) => ({ value: c, label: t(`sso.mfaClaim.${c}`) }))} />
        <TextArea form={form} name="mfaValues" data-kind="lines" label={t('sso.mfaValues')} hint={t('sso.mfaValuesHint')}
          defaultValue={provider?.mfaValues.join('\n') ?? 'mfa'} />
      </div>
      {companies.length > 0 && (
        <CheckboxGroup form={form} name="contractorIds" legend={t('sso.contractors')} hint={t('sso.contractorsHint')} options={companies}
          defaultChecked={provider?.contractorIds ?? []} />
      )}
      <div className="form-footer">
        <FormStatus form={form} />
        <Submit form={form}>{t('sso.save')}</Submit>
      </div>
    </form>
  );
}

/** The test button: the step that failed said in French, with the network's or the provider's own words underneath. */
function ProviderTestCard() {
  const { t } = useI18n();
  return (
    <div aria-live="polite">
      <StepsTest<TestStep> label={t('sso.test')} okText={t('sso.testOk')} saidText={t('sso.said')}
        stepText={(step) => t(`sso.step.${step}`)} run={() => ok(api.POST('/v1/sso/test'))} />
    </div>
  );
}
