import { useState } from 'react';
import { Anomaly, api, ConnectionExport, listAll, ok } from '../api';
import { Field, formBody, FormStatus, Select, Submit, TextArea, useForm } from '../forms';
import { useI18n } from '../i18n';
import type { MessageKey } from '../messages';
import { DataTable, PagedTable } from '../table';
import { DownloadButton, Empty, PageTitle, Section, useLoad, usePaged } from '../ui';

const ANOMALY_KINDS = ['unknown_account', 'inactive_account', 'outside_window', 'out_of_scope', 'failed_login_burst'];

const isoOf = (local: FormDataEntryValue | null) => (local ? new Date(String(local)).toISOString() : undefined);

/** R-ART41: what correlating the connection journal with windows and scopes found, newest connection first. */
export function AnomaliesPage() {
  const { t, dateTime } = useI18n();
  const [filter, setFilter] = useState<{ kind?: Anomaly['kind']; from?: string; to?: string }>({});
  const paged = usePaged((cursor, limit) => api.GET('/v1/anomalies', { params: { query: { ...filter, cursor, limit } } }), [filter]);
  return (
    <>
      <PageTitle>{t('anomalies.title')}</PageTitle>
      <div className="card">
        <form className="filters" role="search" onSubmit={(e) => {
          e.preventDefault();
          const data = new FormData(e.currentTarget);
          setFilter({ kind: (String(data.get('kind') || '') || undefined) as Anomaly['kind'] | undefined, from: isoOf(data.get('from')), to: isoOf(data.get('to')) });
        }}>
          <div className="field">
            <label htmlFor="a-kind">{t('field.kind')}</label>
            <select id="a-kind" name="kind" defaultValue="">
              <option value="">{t('filter.all')}</option>
              {ANOMALY_KINDS.map((k) => <option key={k} value={k}>{t(`anomaly.${k}` as MessageKey)}</option>)}
            </select>
          </div>
          <div className="field"><label htmlFor="a-from">{t('filter.from')}</label><input id="a-from" name="from" type="datetime-local" /></div>
          <div className="field"><label htmlFor="a-to">{t('filter.to')}</label><input id="a-to" name="to" type="datetime-local" /></div>
          <button type="submit">{t('filter.apply')}</button>
        </form>
        <PagedTable paged={paged} empty={t('anomalies.none')} columns={[
          { header: t('anomalies.when'), cell: (a) => dateTime(a.startedAt) },
          { header: t('field.kind'), cell: (a) => t(`anomaly.${a.kind}` as MessageKey) },
          { header: t('anomalies.who'), cell: (a) => (
            <>{a.accountRef}{a.resourceRef && <><br /><span className="muted">→ {a.resourceRef}</span></>}{a.sourceIp && <><br /><span className="muted">{a.sourceIp}</span></>}</>
          ) },
          { header: t('field.description'), cell: (a) => a.detail },
        ]} />
      </div>
    </>
  );
}

/**
 * R-ART41 (Art. 41): an export of the connection journal is requested with a reason (recorded and
 * audited), then downloaded by its requester only; the download is streamed, its progress shown.
 * The API lists no earlier exports: those requested in this tab stay listed until it closes.
 */
export function ExportsPage() {
  const { t, dateTime } = useI18n();
  const contractors = useLoad(() => listAll((cursor) => api.GET('/v1/contractors', { params: { query: { cursor } } })), []);
  const [exports, setExports] = useState<ConnectionExport[]>([]);
  const form = useForm();
  return (
    <>
      <PageTitle>{t('exports.title')}</PageTitle>
      <Section id="request" title={t('exports.request')}>
        <p className="muted">{t('exports.help')}</p>
        <form noValidate onSubmit={form.onSubmit(async (values) => {
          const created = await ok(api.POST('/v1/connection-exports', { body: formBody(values) }));
          setExports((list) => [created, ...list]);
        }, { success: t('exports.requested') })}>
          <FormStatus form={form} />
          <div className="grid2">
            <Field form={form} name="from" label={t('filter.from')} type="datetime-local" data-kind="datetime" required />
            <Field form={form} name="to" label={t('filter.to')} type="datetime-local" data-kind="datetime" required />
            <Select form={form} name="contractorId" label={t('field.contractor')} placeholder={t('exports.allContractors')} options={(contractors.data ?? []).map((c) => ({ value: c.id, label: c.legalName }))} />
            <Select form={form} name="format" label={t('field.format')} required options={[{ value: 'csv', label: 'CSV' }, { value: 'json', label: 'JSON' }]} />
          </div>
          <TextArea form={form} name="reason" label={t('field.reason')} required hint={t('exports.reasonHint')} />
          <Submit form={form}>{t('exports.submit')}</Submit>
        </form>
      </Section>
      <Section id="mine" title={t('exports.mine')}>
        {!exports.length && <Empty>{t('exports.none')}</Empty>}
        {exports.length > 0 && <DataTable rows={exports} columns={[
          { header: t('exports.requestedAt'), cell: (e) => dateTime(e.requestedAt) },
          { header: t('exports.range'), cell: (e) => `${dateTime(e.from)} → ${dateTime(e.to)}` },
          { header: t('field.reason'), cell: (e) => e.reason },
          { header: t('field.format'), cell: (e) => e.format.toUpperCase() },
          { header: t('field.actions'), cell: (e) => <DownloadButton path={e.downloadUrl} label={t('exports.download')} /> },
        ]} />}
      </Section>
    </>
  );
}
