import { api, at, listAll, multipart, ok } from '../api';
import { Field, formBody, FormStatus, formData, Select, Submit, useForm } from '../forms';
import { useI18n } from '../i18n';
import type { MessageKey } from '../messages';
import { ConfirmAction } from '../confirm';
import { LoadedTable } from '../table';
import { Badge, Empty, Loading, PageTitle, ProblemBox, Section, todayIso, useLoad } from '../ui';
import { currentDocuments, DocumentLinks } from './signatures';

const DOCUMENT_KINDS = ['charter', 'access_convention', 'rgpd_clauses', 'security_referential'];

/** R-ART2: the establishment's versioned documents; a new version may set a re-signature deadline. */
export function DocumentsPage() {
  const { t, date } = useI18n();
  const documents = useLoad(() => listAll((cursor) => api.GET('/v1/documents', { params: { query: { cursor } } })), []);
  const publish = useForm();
  const current = new Set([...currentDocuments(documents.data ?? []).values()].map((d) => d.id));
  return (
    <>
      <PageTitle>{t('documents.title')}</PageTitle>
      <Section id="list" title={t('documents.versions')}>
        <Loading when={documents.loading && !documents.data} />
        <LoadedTable loaded={documents} empty={t('documents.none')} columns={[
          { header: t('field.kind'), cell: (d) => <>{t(`kind.${d.kind}` as MessageKey)}<br /><span className="muted">{d.title}</span></>, rowHeader: true },
          { header: t('field.versionLabel'), cell: (d) => d.versionLabel },
          { header: t('field.effectiveOn'), cell: (d) => date(d.effectiveOn) },
          { header: t('field.resignDeadline'), cell: (d) => date(d.resignDeadline) },
          { header: t('field.status'), cell: (d) => (d.withdrawnAt ? <Badge>{t('documents.withdrawn')}</Badge>
            : current.has(d.id) ? <Badge tone="ok">{t('documents.inForce')}</Badge> : <Badge tone="info">{t('documents.other')}</Badge>) },
          { header: t('field.actions'), cell: (d) => {
            const document = `${t(`kind.${d.kind}` as MessageKey)} ${d.versionLabel}`;
            return (
              <>
                <DocumentLinks documents={[d]} />
                {!d.withdrawnAt && <ConfirmAction tone="danger" label={t('documents.withdraw')} consequence={t('act.document.withdraw', { document })}
                  success={t('act.document.withdrawn', { document })} act={() => ok(api.POST('/v1/documents/{id}/withdraw', at(d.id)))} onDone={documents.reload} />}
              </>
            );
          } },
        ]} />
      </Section>
      <Section id="publish" title={t('documents.publish')}>
        <form noValidate onSubmit={publish.onSubmit(async (_values, element) => {
          await ok(api.POST('/v1/documents', { body: multipart(formData(element)) }));
          element.reset();
          documents.reload();
        }, { success: t('documents.published') })}>
          <FormStatus form={publish} />
          <div className="grid2">
            <Select form={publish} name="kind" label={t('field.kind')} required options={DOCUMENT_KINDS.map((k) => ({ value: k, label: t(`kind.${k}` as MessageKey) }))} />
            <Field form={publish} name="title" label={t('field.title')} />
            <Field form={publish} name="versionLabel" label={t('field.versionLabel')} required />
            <Field form={publish} name="effectiveOn" label={t('field.effectiveOn')} type="date" required defaultValue={todayIso()} />
            <Field form={publish} name="resignDeadline" label={t('field.resignDeadline')} type="date" hint={t('documents.resignHint')} />
          </div>
          <Field form={publish} name="file" label={t('field.pdf')} type="file" accept="application/pdf" required />
          <Submit form={publish}>{t('documents.submit')}</Submit>
        </form>
      </Section>
    </>
  );
}

/** R-ART31: the catalogue of resources habilitations and windows refer to. */
export function ResourcesPage() {
  const { t } = useI18n();
  const resources = useLoad(() => listAll((cursor) => api.GET('/v1/resources', { params: { query: { cursor } } })), []);
  const form = useForm();
  const items = resources.data ?? [];
  return (
    <>
      <PageTitle>{t('resources.title')}</PageTitle>
      <Section id="list" title={t('resources.catalogue')}>
        <ProblemBox problem={resources.problem} />
        {resources.data && !items.length && <Empty>{t('resources.none')}</Empty>}
        {items.length > 0 && (
          <table>
            <thead><tr><th scope="col">{t('field.name')}</th><th scope="col">{t('field.kind')}</th><th scope="col">{t('field.criticality')}</th><th scope="col">{t('field.externalId')}</th></tr></thead>
            <tbody>{items.map((r) => (
              <tr key={r.id}><td>{r.name}</td><td>{t(`rkind.${r.kind}` as MessageKey)}</td><td>{t(`crit.${r.criticality}` as MessageKey)}</td><td><code translate="no">{r.externalId ?? '—'}</code></td></tr>
            ))}</tbody>
          </table>
        )}
      </Section>
      <Section id="new" title={t('resources.new')}>
        <form noValidate onSubmit={form.onSend(
          (values) => ok(api.POST('/v1/resources', { body: formBody(values) })), resources.reload, t('resources.created'),
        )}>
          <FormStatus form={form} />
          <div className="grid2">
            <Field form={form} name="name" label={t('field.name')} required />
            <Field form={form} name="externalId" label={t('field.externalId')} hint={t('resources.externalHint')} />
            <Select form={form} name="kind" label={t('field.kind')} required options={['application', 'server', 'medical_device', 'network_equipment', 'other'].map((k) => ({ value: k, label: t(`rkind.${k}` as MessageKey) }))} />
            <Select form={form} name="criticality" label={t('field.criticality')} required options={['low', 'medium', 'high', 'critical'].map((k) => ({ value: k, label: t(`crit.${k}` as MessageKey) }))} />
          </div>
          <Submit form={form}>{t('resources.submit')}</Submit>
        </form>
      </Section>
    </>
  );
}
