import { useState } from 'react';
import { api, Connection, ConnectionExport, listAll, ok } from '../api';
import { FilterBar, FilterPeriod, FilterSelect } from '../filters';
import { Field, formBody, FormStatus, Select, Submit, TextArea, useForm } from '../forms';
import { useI18n } from '../i18n';
import { Link } from '../router';
import { Column, DataTable, PagedTable } from '../table';
import { Badge, DownloadButton, Empty, PageTitle, Section, useLoad, usePaged } from '../ui';

/** The columns of a list of journal entries: who, on what, when, how it ended, and its recording (Art. 44). */
export function useConnectionColumns(withIntervention = true): Column<Connection>[] {
  const { t, dateTime } = useI18n();
  return [
    { header: t('journal.started'), cell: (c) => dateTime(c.startedAt) },
    { header: t('journal.ended'), cell: (c) => dateTime(c.endedAt) },
    { header: t('journal.person'), cell: (c) => <>{c.person ?? c.accountRef}{c.contractorName && <><br /><span className="muted">{c.contractorName}</span></>}</> },
    { header: t('field.resource'), cell: (c) => c.resourceName ?? c.resourceRef },
    { header: t('journal.outcome'), cell: (c) => <Badge tone={c.outcome === 'success' ? 'ok' : 'bad'}>{t(`outcome.${c.outcome}`)}</Badge> },
    { header: t('journal.recording'), cell: (c) => (c.recordingRef ? <code>{c.recordingRef}</code> : '—') },
    { header: t('journal.intervention'), hidden: !withIntervention,
      cell: (c) => c.interventionId && <Link to={`/interventions/${c.interventionId}`}>{t('journal.openIntervention')}</Link> },
  ];
}

/** R-ART41: the connection journal searched by company, person, resource and period (the last 7 days unless said), newest first. */
export function JournalPage() {
  const { t } = useI18n();
  const [filter, setFilter] = useState<Record<string, string | undefined>>({});
  const [contractorId, setContractorId] = useState('');
  const contractors = useLoad(() => listAll((cursor) => api.GET('/v1/contractors', { params: { query: { cursor } } })), []);
  const resources = useLoad(() => listAll((cursor) => api.GET('/v1/resources', { params: { query: { cursor } } })), []);
  const accounts = useLoad(() => (contractorId
    ? listAll((cursor) => api.GET('/v1/accounts', { params: { query: { contractorId, cursor } } })) : Promise.resolve([])), [contractorId]);
  const paged = usePaged((cursor, limit) => api.GET('/v1/connections', { params: { query: { ...filter, cursor, limit } } }), [filter]);
  return (
    <>
      <PageTitle>{t('journal.title')}</PageTitle>
      <p className="muted">{t('journal.help')}</p>
      <div className="card">
        <FilterBar onFilter={setFilter}>
          <div className="field">
            <label htmlFor="j-contractor">{t('field.contractor')}</label>
            <select id="j-contractor" name="contractorId" value={contractorId} onChange={(e) => setContractorId(e.target.value)}>
              <option value="">{t('journal.anyContractor')}</option>
              {(contractors.data ?? []).map((c) => <option key={c.id} value={c.id}>{c.legalName}</option>)}
            </select>
          </div>
          <FilterSelect key={contractorId} name="accountId" label={t('journal.person')} all={t('journal.anyPerson')}
            options={(accounts.data ?? []).map((a) => ({ value: a.id, label: `${a.firstName} ${a.lastName}` }))} />
          <div className="field"><label htmlFor="j-account">{t('journal.accountRef')}</label><input id="j-account" name="account" /></div>
          <FilterSelect name="resourceId" label={t('field.resource')} all={t('journal.anyResource')}
            options={(resources.data ?? []).map((r) => ({ value: r.id, label: r.name }))} />
          <FilterSelect name="outcome" label={t('journal.outcome')} options={(['success', 'failure'] as const).map((o) => ({ value: o, label: t(`outcome.${o}`) }))} />
          <FilterPeriod />
        </FilterBar>
        <PagedTable paged={paged} empty={t('journal.none')} columns={useConnectionColumns()} />
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
