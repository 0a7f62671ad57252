import { useState } from 'react';
import { api, at, Intervention, listAll, ok } from '../api';
import { ConfirmAction } from '../confirm';
import { Checkbox, CheckboxGroup, Field, formBody, FormStatus, Submit, TextArea, useForm, Values } from '../forms';
import { useI18n } from '../i18n';
import type { MessageKey } from '../messages';
import { Link, navigate } from '../router';
import { CONTRACTOR_MANAGERS, useSession } from '../session';
import { Badge, Empty, Loading, PageTitle, ProblemBox, Section, todayIso, useLoad } from '../ui';

const STATUS_TONE = { requested: 'warn', approved: 'ok', rejected: 'bad', cancelled: 'neutral' } as const;

/** R-ART42: a report is owed once an approved window has started; overdue past its due date. */
export function reportState(i: Intervention, now = new Date(), today = todayIso()): 'none' | 'due' | 'overdue' | 'filed' {
  if (i.reportFiledAt) return 'filed';
  if (i.status !== 'approved' || new Date(i.startsAt) > now) return 'none';
  return i.reportDueOn < today ? 'overdue' : 'due';
}

function useNames() {
  const { has } = useSession();
  const resources = useLoad(() => listAll((cursor) => api.GET('/v1/resources', { params: { query: { cursor } } })), []);
  const contractors = useLoad(() => (has('dsi', 'rssi', 'referent', 'auditor') ? listAll((cursor) => api.GET('/v1/contractors', { params: { query: { cursor } } })) : Promise.resolve([])), []);
  return {
    resource: (id: string) => resources.data?.find((r) => r.id === id)?.name ?? '…',
    contractor: (id: string) => contractors.data?.find((c) => c.id === id)?.legalName,
  };
}

/** The windows of a contractor (or of everyone the caller may see), each with what the caller may do about it. */
export function InterventionsTable({ contractorId, items: given, onChange }: { contractorId?: string; items?: Intervention[]; onChange?: () => void }) {
  const { t } = useI18n();
  const loaded = useLoad(() => (given ? Promise.resolve(given) : listAll((cursor) => api.GET('/v1/interventions', { params: { query: { contractorId, cursor } } }))), [contractorId, given]);
  const names = useNames();
  const items = loaded.data ?? [];
  const changed = () => { loaded.reload(); onChange?.(); };
  return (
    <>
      <ProblemBox problem={loaded.problem} />
      <Loading when={loaded.loading && !loaded.data} />
      {loaded.data && !items.length && <Empty>{t('interventions.none')}</Empty>}
      {items.length > 0 && (
        <table>
          <thead><tr>
            <th scope="col">{t('interventions.window')}</th><th scope="col">{t('field.nature')}</th><th scope="col">{t('field.resources')}</th>
            <th scope="col">{t('field.status')}</th><th scope="col">{t('interventions.report')}</th><th scope="col"><span className="sr-only">{t('field.actions')}</span></th>
          </tr></thead>
          <tbody>{items.map((i) => <InterventionRow key={i.id} intervention={i} names={names} showContractor={!contractorId} onChange={changed} />)}</tbody>
        </table>
      )}
    </>
  );
}

/** The DSI's or referent's decision on a window, and its cancellation. */
const DECISIONS = {
  approve: (id: string, body: Values) => ok(api.POST('/v1/interventions/{id}/approve', { ...at(id), body: formBody(body) })),
  reject: (id: string, body: Values) => ok(api.POST('/v1/interventions/{id}/reject', { ...at(id), body: formBody(body) })),
  cancel: (id: string, body: Values) => ok(api.POST('/v1/interventions/{id}/cancel', { ...at(id), body: formBody(body) })),
};

function InterventionRow({ intervention: i, names, showContractor, onChange }: { intervention: Intervention; names: ReturnType<typeof useNames>; showContractor: boolean; onChange: () => void }) {
  const { t, dateTime, date } = useI18n();
  const { has, me } = useSession();
  const [override, setOverride] = useState(false);
  const report = reportState(i);
  const subject = { company: names.contractor(i.contractorId) ?? '', from: dateTime(i.startsAt), to: dateTime(i.endsAt),
    resources: i.resourceIds.map(names.resource).join(', ') };
  /** One binding act on the window, confirmed with its consequence (`act.window.<what>`), then announced (`act.window.<done>`). */
  const act = (verb: keyof typeof DECISIONS, [what, done]: [string, string], label: string, body: (reason: string) => Values, tone = 'danger' as 'primary' | 'danger') => (
    <ConfirmAction tone={tone} label={label} reason={tone === 'danger' ? t('field.reason') : undefined} onDone={onChange}
      consequence={t(`act.window.${what}` as MessageKey, subject)} success={t(`act.window.${done}` as MessageKey, subject)}
      act={(reason) => DECISIONS[verb](i.id, body(reason))} />
  );
  const decider = has('dsi', 'referent');
  const mine = !!me?.contractorId || has('dsi');
  const future = new Date(i.endsAt) > new Date();
  return (
    <tr>
      <td>
        {showContractor && names.contractor(i.contractorId) && <><Link to={`/contractors/${i.contractorId}`}>{names.contractor(i.contractorId)}</Link><br /></>}
        {dateTime(i.startsAt)} → {dateTime(i.endsAt)}
        {i.emergency && <> <Badge tone="bad">{t('interventions.emergency')}</Badge></>}
        {i.outsideBusinessHours && <> <Badge tone="info">{t('interventions.afterHours')}</Badge></>}
      </td>
      <td>{has('dsi', 'rssi', 'referent', 'auditor') ? <Link to={`/interventions/${i.id}`}>{i.nature}</Link> : i.nature}<br /><span className="muted">{t('interventions.risks')} {i.risks}</span></td>
      <td>{i.resourceIds.map(names.resource).join(', ')}</td>
      <td>
        <Badge tone={STATUS_TONE[i.status]}>{t(`wstatus.${i.status}` as MessageKey)}</Badge>
        {i.emergencyReview && <><br /><span className="muted">{t(`emergency.${i.emergencyReview}` as MessageKey)}</span></>}
        {i.decisionReason && <><br /><span className="muted">{i.decisionReason}</span></>}
      </td>
      <td>
        {report === 'filed' && <Link to={`/interventions/${i.id}/report`}>{t('interventions.reportFiled')}</Link>}
        {report === 'due' && (mine ? <Link className="button" to={`/interventions/${i.id}/report`}>{t('interventions.fileReport')}</Link> : <Badge tone="warn">{t('interventions.reportDue', { date: date(i.reportDueOn) })}</Badge>)}
        {report === 'overdue' && (mine ? <Link className="button danger" to={`/interventions/${i.id}/report`}>{t('interventions.fileOverdue')}</Link> : <Badge tone="bad">{t('interventions.reportOverdue')}</Badge>)}
        {report === 'none' && i.status === 'approved' && <span className="muted">{t('interventions.reportDueOn', { date: date(i.reportDueOn) })}</span>}
      </td>
      <td>
        {decider && i.status === 'requested' && (
          <div className="stack">
            {i.usageConflict && (
              <label className="check"><input type="checkbox" checked={override} onChange={(e) => setOverride(e.target.checked)} /> {t('interventions.override')}</label>
            )}
            <div className="row">
              {act('approve', ['approve', 'approved'], t('action.approve'), () => ({ overrideUsage: override }), 'primary')}
              {act('reject', ['reject', 'rejected'], t('action.reject'), (reason) => ({ reason }))}
            </div>
          </div>
        )}
        {decider && i.emergencyReview === 'pending' && (
          <div className="row">
            {act('approve', ['confirm', 'confirmed'], t('action.confirm'), () => ({}), 'primary')}
            {act('reject', ['challenge', 'challenged'], t('action.challenge'), (reason) => ({ reason }))}
          </div>
        )}
        {mine && ['requested', 'approved'].includes(i.status) && future && i.emergencyReview !== 'pending' && act('cancel', ['cancel', 'cancelled'], t('action.cancelWindow'), (reason) => ({ reason }))}
      </td>
    </tr>
  );
}

/** Contractor side: overdue reports first (they block new windows, R-ART42), then reports to file, then every window. */
export function InterventionsPage() {
  const { t } = useI18n();
  const { has } = useSession();
  const [range, setRange] = useState<{ from?: string; to?: string }>({});
  const all = useLoad(() => listAll((cursor) => api.GET('/v1/interventions', { params: { query: {
    from: range.from ? new Date(`${range.from}T00:00:00`).toISOString() : undefined,
    to: range.to ? new Date(`${range.to}T23:59:59`).toISOString() : undefined,
    cursor,
  } } })), [range.from, range.to]);
  const items = all.data ?? [];
  const overdue = items.filter((i) => reportState(i) === 'overdue');
  const due = items.filter((i) => reportState(i) === 'due');
  const pending = items.filter((i) => i.status === 'requested' || i.emergencyReview === 'pending');
  const canRequest = has('dsi', ...CONTRACTOR_MANAGERS, 'staff');
  return (
    <>
      <PageTitle actions={canRequest && <Link className="button primary" to="/interventions/new">{t('interventions.new')}</Link>}>{t('interventions.title')}</PageTitle>
      <ProblemBox problem={all.problem} />
      {overdue.length > 0 && (
        <Section id="overdue" title={t('interventions.overdueTitle', { count: overdue.length })}>
          <p className="alert alert-error">{t('interventions.overdueHelp')}</p>
          <InterventionsTable items={overdue} onChange={all.reload} />
        </Section>
      )}
      {due.length > 0 && <Section id="due" title={t('interventions.dueTitle', { count: due.length })}><InterventionsTable items={due} onChange={all.reload} /></Section>}
      {has('dsi', 'referent') && pending.length > 0 && (
        <Section id="pending" title={t('interventions.pendingTitle', { count: pending.length })}><InterventionsTable items={pending} onChange={all.reload} /></Section>
      )}
      <Section id="all" title={t('interventions.all')}>
        <form className="filters" onSubmit={(e) => {
          e.preventDefault();
          const data = new FormData(e.currentTarget);
          setRange({ from: String(data.get('from') || '') || undefined, to: String(data.get('to') || '') || undefined });
        }}>
          <div className="field"><label htmlFor="w-from">{t('filter.from')}</label><input id="w-from" name="from" type="date" /></div>
          <div className="field"><label htmlFor="w-to">{t('filter.to')}</label><input id="w-to" name="to" type="date" /></div>
          <button type="submit">{t('filter.apply')}</button>
        </form>
        <Loading when={all.loading && !all.data} />
        {all.data && <InterventionsTable items={items} onChange={all.reload} />}
      </Section>
    </>
  );
}

/** R-ART36 (Art. 36-39): accounts, resources, start and end, nature, risks, availability impact, settings and data changes. */
export function NewInterventionPage() {
  const { t } = useI18n();
  const { me, has } = useSession();
  const form = useForm();
  const contractors = useLoad(() => (me?.contractorId ? Promise.resolve([]) : listAll((cursor) => api.GET('/v1/contractors', { params: { query: { cursor } } }))), []);
  const [contractorId, setContractorId] = useState(me?.contractorId ?? '');
  const accounts = useLoad(() => (contractorId ? listAll((cursor) => api.GET('/v1/contractors/{id}/accounts', { params: { path: { id: contractorId }, query: { cursor } } })) : Promise.resolve([])), [contractorId]);
  const resources = useLoad(() => listAll((cursor) => api.GET('/v1/resources', { params: { query: { cursor } } })), []);
  const [emergency, setEmergency] = useState(false);
  const active = (accounts.data ?? []).filter((a) => a.status === 'active');
  const ownOnly = has('staff') && !has(...CONTRACTOR_MANAGERS, 'dsi');
  return (
    <>
      <PageTitle>{t('interventions.new')}</PageTitle>
      <form className="card" noValidate onSubmit={form.onSubmit(async (values) => {
        await ok(api.POST('/v1/interventions', { body: formBody({ ...values, contractorId, emergency }) }));
        navigate('/interventions');
      })}>
        <p className="muted">{t('interventions.newHelp')}</p>
        <FormStatus form={form} />
        {!me?.contractorId && (
          <div className="field">
            <label htmlFor="w-contractor">{t('field.contractor')}</label>
            <select id="w-contractor" value={contractorId} onChange={(e) => setContractorId(e.target.value)} required>
              <option value="" />
              {(contractors.data ?? []).map((c) => <option key={c.id} value={c.id}>{c.legalName}</option>)}
            </select>
          </div>
        )}
        <ProblemBox problem={accounts.problem} />
        {contractorId && (active.length
          ? <CheckboxGroup key={contractorId} form={form} name="accountIds" legend={t('field.accounts')} defaultChecked={ownOnly || active.length === 1 ? active.map((a) => a.id) : []}
            options={active.map((a) => ({ value: a.id, label: `${a.firstName} ${a.lastName} (${a.email})` }))} hint={ownOnly ? t('interventions.ownAccount') : undefined} />
          : accounts.data && <p className="alert alert-warn">{t('interventions.noActiveAccount')}</p>)}
        <CheckboxGroup form={form} name="resourceIds" legend={t('field.resources')} hint={t('interventions.resourcesHint')}
          options={(resources.data ?? []).map((r) => ({ value: r.id, label: `${r.name}${r.externalId ? ` (${r.externalId})` : ''}` }))} />
        <div className="field field-check">
          <input id="w-emergency" type="checkbox" checked={emergency} onChange={(e) => setEmergency(e.target.checked)} />
          <label htmlFor="w-emergency">{t('interventions.emergencyAsk')}</label>
        </div>
        {emergency && <TextArea form={form} name="justification" label={t('field.justification')} required hint={t('interventions.emergencyHint')} />}
        <div className="grid2">
          <Field form={form} name="startsAt" label={t('field.startsAt')} type="datetime-local" data-kind="datetime" required={!emergency} hint={emergency ? t('interventions.startsNow') : undefined} />
          <Field form={form} name="endsAt" label={t('field.endsAt')} type="datetime-local" data-kind="datetime" required />
        </div>
        <TextArea form={form} name="nature" label={t('field.nature')} required />
        <TextArea form={form} name="risks" label={t('field.risks')} required />
        <TextArea form={form} name="availabilityImpact" label={t('field.availabilityImpact')} required />
        <Checkbox form={form} name="changesSettings" label={t('field.changesSettings')} />
        <Checkbox form={form} name="changesData" label={t('field.changesData')} />
        <Submit form={form}>{t('interventions.submit')}</Submit>
      </form>
    </>
  );
}

/** R-ART42 (Art. 42-43): the written report; immutable once filed, a correction is a new version. */
export function ReportPage({ id }: { id: string }) {
  const { t, dateTime, date } = useI18n();
  const { me } = useSession();
  const intervention = useLoad(() => ok(api.GET('/v1/interventions/{id}', at(id))), [id]);
  const reports = useLoad(() => ok(api.GET('/v1/interventions/{id}/reports', at(id))), [id]);
  // The people the window names, as the first version lists them (a correction starts from the latest version).
  const named = useLoad(() => ok(api.GET('/v1/interventions/{id}/intervenants', at(id))), [id]);
  const form = useForm();
  const i = intervention.data;
  const versions = reports.data ?? [];
  const latest = versions[versions.length - 1];
  return (
    <>
      <PageTitle>{t('report.title')}</PageTitle>
      <ProblemBox problem={intervention.problem ?? reports.problem} />
      {i && (
        <div className="card summary">
          <dl className="facts">
            <dt>{t('interventions.window')}</dt><dd>{dateTime(i.startsAt)} → {dateTime(i.endsAt)}</dd>
            <dt>{t('field.nature')}</dt><dd>{i.nature}</dd>
            <dt>{t('report.dueOn')}</dt><dd>{date(i.reportDueOn)}{i.outsideBusinessHours && <> · {t('report.afterHours')}</>}</dd>
          </dl>
        </div>
      )}
      {versions.length > 0 && (
        <Section id="versions" title={t('report.versions')}>
          {versions.map((r) => (
            <article key={r.id} className="report">
              <h3>{t('report.version', { version: r.version, at: dateTime(r.submittedAt) })}</h3>
              <dl className="facts">
                <dt>{t('field.operations')}</dt><dd>{r.operations}</dd>
                <dt>{t('field.intervenants')}</dt><dd>{r.intervenants.join(', ')}</dd>
                <dt>{t('field.actions')}</dt><dd>{r.actions}</dd>
                <dt>{t('field.difficulties')}</dt><dd>{r.difficulties}</dd>
                <dt>{t('field.referentsInformed')}</dt><dd>{r.referentsInformed.join(', ') || '—'}</dd>
              </dl>
            </article>
          ))}
        </Section>
      )}
      {i && named.data && (me?.contractorId || me?.roles.includes('dsi')) && (
        <Section id="file" title={latest ? t('report.correct') : t('report.file')}>
          <form noValidate onSubmit={form.onSubmit(async (values) => {
            await ok(api.POST('/v1/interventions/{id}/report', { ...at(id), body: formBody(values) }));
            reports.reload();
            intervention.reload();
          }, { success: t('report.filed') })}>
            <FormStatus form={form} />
            <TextArea form={form} name="operations" label={t('field.operations')} required defaultValue={latest?.operations} />
            <TextArea form={form} name="intervenants" data-kind="lines" label={t('field.intervenants')} hint={t('report.onePerLine')} required
              defaultValue={(latest?.intervenants ?? named.data.map((p) => p.name)).join('\n')} />
            <TextArea form={form} name="actions" label={t('field.actions')} required defaultValue={latest?.actions} />
            <TextArea form={form} name="difficulties" label={t('field.difficulties')} required hint={t('report.difficultiesHint')} defaultValue={latest?.difficulties} />
            <TextArea form={form} name="referentsInformed" data-kind="lines" label={t('field.referentsInformed')} hint={t('report.referentsHint')} />
            <Submit form={form}>{latest ? t('report.submitCorrection') : t('report.submit')}</Submit>
          </form>
        </Section>
      )}
    </>
  );
}

