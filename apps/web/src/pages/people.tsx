import { useRef, useState } from 'react';
import { api, at, listAll, ok } from '../api';
import { ConfirmAction } from '../confirm';
import { Field, formBody, FormStatus, readForm, Select, Submit, TextArea, useForm } from '../forms';
import { useI18n } from '../i18n';
import type { MessageKey } from '../messages';
import { useSession } from '../session';
import { Badge, Empty, PageTitle, ProblemBox, Section, todayIso, useLoad } from '../ui';

/** R-ART35: the contractor declares in writing who leaves and when the account must close. */
export function DeparturesPage() {
  const { t, date } = useI18n();
  const { me } = useSession();
  const contractors = useLoad(() => (me?.contractorId ? Promise.resolve([]) : listAll((cursor) => api.GET('/v1/contractors', { params: { query: { cursor } } }))), []);
  const [contractorId, setContractorId] = useState(me?.contractorId ?? '');
  const accounts = useLoad(() => (contractorId ? listAll((cursor) => api.GET('/v1/contractors/{id}/accounts', { params: { path: { id: contractorId }, query: { cursor } } })) : Promise.resolve([])), [contractorId]);
  const departures = useLoad(() => (contractorId ? listAll((cursor) => api.GET('/v1/contractors/{id}/departures', { params: { path: { id: contractorId }, query: { cursor } } })) : Promise.resolve([])), [contractorId]);
  const form = useForm();
  const [accountId, setAccountId] = useState('');
  const living = (accounts.data ?? []).filter((a) => !['deactivated', 'rejected'].includes(a.status));
  const chosen = living.find((a) => a.id === accountId);
  // R-ART35: the confirmation names the person and the date as typed in the form.
  const declaration = useRef<HTMLFormElement>(null);
  const departing = () => {
    const v = readForm(declaration.current!) as Record<string, string | undefined>;
    return { name: `${v.firstName ?? ''} ${v.lastName ?? ''}`.trim(), date: v.effectiveOn ? date(v.effectiveOn) : '—' };
  };
  return (
    <>
      <PageTitle>{t('departures.title')}</PageTitle>
      {!me?.contractorId && (
        <div className="card filters">
          <div className="field">
            <label htmlFor="d-contractor">{t('field.contractor')}</label>
            <select id="d-contractor" value={contractorId} onChange={(e) => setContractorId(e.target.value)}>
              <option value="" />
              {(contractors.data ?? []).map((c) => <option key={c.id} value={c.id}>{c.legalName}</option>)}
            </select>
          </div>
        </div>
      )}
      {contractorId && (
        <Section id="declare" title={t('departures.declare')}>
          <p className="muted">{t('departures.help')}</p>
          <form ref={declaration} noValidate onSubmit={(e) => e.preventDefault()}>
            <FormStatus form={form} />
            <Select form={form} name="accountId" label={t('field.account')} placeholder={t('departures.noAccount')} value={accountId}
              onChange={(e) => setAccountId(e.target.value)} options={living.map((a) => ({ value: a.id, label: `${a.firstName} ${a.lastName} (${a.email})` }))} />
            <div className="grid2">
              <Field key={`f-${accountId}`} form={form} name="firstName" label={t('field.firstName')} required defaultValue={chosen?.firstName} />
              <Field key={`l-${accountId}`} form={form} name="lastName" label={t('field.lastName')} required defaultValue={chosen?.lastName} />
              <Field form={form} name="effectiveOn" label={t('field.effectiveOn')} type="date" required defaultValue={todayIso()} hint={t('departures.effectiveHint')} />
            </div>
            <ConfirmAction label={t('departures.submit')} tone="danger" consequence={() => t('act.departure', departing())}
              success={() => t('act.departure.declared', departing())} onDone={() => { departures.reload(); accounts.reload(); }}
              act={() => form.run(() => ok(api.POST('/v1/contractors/{id}/departures', { ...at(contractorId), body: formBody(readForm(declaration.current!)) })))} />
          </form>
        </Section>
      )}
      {contractorId && (
        <Section id="list" title={t('departures.list')}>
          <ProblemBox problem={departures.problem} />
          {departures.data && !departures.data.length && <Empty>{t('departures.none')}</Empty>}
          {!!departures.data?.length && (
            <table>
              <thead><tr><th scope="col">{t('contacts.person')}</th><th scope="col">{t('field.effectiveOn')}</th><th scope="col">{t('field.status')}</th></tr></thead>
              <tbody>{departures.data.map((d) => (
                <tr key={d.id}><td>{d.firstName} {d.lastName}</td><td>{date(d.effectiveOn)}</td>
                  <td><Badge tone={d.appliedAt ? 'neutral' : 'warn'}>{d.appliedAt ? t('departures.applied') : t('departures.scheduled')}</Badge></td></tr>
              ))}</tbody>
            </table>
          )}
        </Section>
      )}
    </>
  );
}

const INCIDENT_KINDS = ['threat', 'vulnerability', 'theft', 'compromise', 'other'];

/** R-ART5: anyone reports a threat, vulnerability, theft or compromise; a compromise naming an account suspends it at once. */
export function IncidentsPage() {
  const { t, dateTime } = useI18n();
  const { me, has } = useSession();
  const incidents = useLoad(() => listAll((cursor) => api.GET('/v1/incidents', { params: { query: { cursor } } })), []);
  const accounts = useLoad(() => (me?.contractorId ? listAll((cursor) => api.GET('/v1/contractors/{id}/accounts', { params: { path: { id: me.contractorId! }, query: { cursor } } })) : Promise.resolve([])), []);
  const form = useForm();
  const [kind, setKind] = useState('');
  const canReport = has('dsi', 'rssi', 'referent', 'legal_rep', 'security_contact', 'security_deputy', 'staff');
  const items = incidents.data ?? [];
  return (
    <>
      <PageTitle>{t('incidents.title')}</PageTitle>
      {canReport && (
        <Section id="report" title={t('incidents.report')}>
          <form noValidate onSubmit={form.onSend(
            (values) => ok(api.POST('/v1/incidents', { body: formBody(values) })), incidents.reload, t('incidents.reported'),
          )}>
            <FormStatus form={form} />
            <Select form={form} name="kind" label={t('field.kind')} required placeholder="" value={kind} onChange={(e) => setKind(e.target.value)}
              options={INCIDENT_KINDS.map((k) => ({ value: k, label: t(`incident.${k}` as MessageKey) }))} />
            {kind === 'compromise' && <p className="alert alert-warn">{t('incidents.compromiseWarn')}</p>}
            <TextArea form={form} name="description" label={t('field.description')} required rows={5} />
            {(accounts.data ?? []).length > 0
              ? <Select form={form} name="accountId" label={t('field.accountConcerned')} placeholder={t('field.none')} options={(accounts.data ?? []).map((a) => ({ value: a.id, label: `${a.firstName} ${a.lastName}` }))} />
              : has('dsi', 'rssi', 'referent') && <Field form={form} name="accountId" label={t('field.accountIdConcerned')} hint={t('incidents.accountHint')} />}
            <Submit form={form}>{t('incidents.submit')}</Submit>
          </form>
        </Section>
      )}
      <Section id="list" title={t('incidents.list')}>
        <ProblemBox problem={incidents.problem} />
        {incidents.data && !items.length && <Empty>{t('incidents.none')}</Empty>}
        {items.length > 0 && (
          <table>
            <thead><tr><th scope="col">{t('field.reportedAt')}</th><th scope="col">{t('field.kind')}</th><th scope="col">{t('field.description')}</th></tr></thead>
            <tbody>{items.map((i) => (
              <tr key={i.id}>
                <td>{dateTime(i.reportedAt)}</td>
                <td>{t(`incident.${i.kind}` as MessageKey)}{i.accountSuspended && <> <Badge tone="bad">{t('incidents.suspended')}</Badge></>}</td>
                <td className="prewrap">{i.description}</td>
              </tr>
            ))}</tbody>
          </table>
        )}
      </Section>
    </>
  );
}
