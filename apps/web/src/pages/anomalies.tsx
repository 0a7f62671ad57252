import { useState } from 'react';
import { AnomalyCase, AnomalyCaseQuery, api, Assignee, at, listAll, ok } from '../api';
import { ConfirmAction } from '../confirm';
import { FilterBar, FilterPeriod, FilterSelect } from '../filters';
import { FormStatus, useForm } from '../forms';
import { useI18n } from '../i18n';
import type { MessageKey } from '../messages';
import { Link, useLocation } from '../router';
import { useSession } from '../session';
import { PagedTable } from '../table';
import { Badge, Disclosure, PageTitle, useLoad, usePaged } from '../ui';

export const ANOMALY_KINDS = ['unknown_account', 'inactive_account', 'outside_window', 'out_of_scope', 'failed_login_burst'] as const;
const SEVERITIES = ['high', 'medium', 'low'] as const;
const STATUSES = ['open', 'acknowledged', 'closed'] as const;
const SEVERITY_TONE = { high: 'bad', medium: 'warn', low: 'neutral' } as const;
const STATUS_TONE = { open: 'warn', acknowledged: 'info', closed: 'ok' } as const;

type Query = Record<string, string | undefined>;

/**
 * R-ART41: the RSSI works through the journal's anomalies, one row per connection with all it found wrong, its severity and its
 * triage (acknowledge, assign to an RSSI or DSI, close with a comment, reopen); the counts per status are quick filters.
 */
export function AnomaliesPage() {
  const { t } = useI18n();
  const { has } = useSession();
  const triage = has('rssi', 'dsi');
  const [filter, setFilter] = useState<Query>({});
  const { query: url } = useLocation();
  const [status, setStatus] = useState<string | undefined>(url.get('status') ?? undefined);
  const query = { ...filter, status } as AnomalyCaseQuery;
  const paged = usePaged((cursor, limit) => api.GET('/v1/anomaly-cases', { params: { query: { ...query, cursor, limit } } }), [filter, status]);
  const counts = useLoad(() => ok(api.GET('/v1/anomaly-cases/counts', { params: { query: { ...query, status: undefined } } })), [filter]);
  const assignees = useLoad(() => (triage
    ? listAll((cursor) => api.GET('/v1/anomaly-cases/assignees', { params: { query: { cursor, limit: 200 } } })) : Promise.resolve([])), [triage]);
  const changed = () => { paged.reload(); counts.reload(); };
  const choices = (prefix: string, values: readonly string[]) => values.map((v) => ({ value: v, label: t(`${prefix}.${v}` as MessageKey) }));
  return (
    <>
      <PageTitle>{t('anomalies.title')}</PageTitle>
      <p className="muted">{t('anomalies.help')}</p>
      <div className="card">
        <div className="row" role="group" aria-label={t('field.status')}>
          {STATUSES.map((s) => (
            <button key={s} type="button" aria-pressed={status === s} onClick={() => setStatus(status === s ? undefined : s)}>
              {t('anomalies.count', { label: t(`astatus.${s}`), count: counts.data?.[s] ?? '…' })}
            </button>
          ))}
        </div>
        <FilterBar onFilter={setFilter}>
          <FilterSelect name="severity" label={t('anomalies.severity')} options={choices('severity', SEVERITIES)} />
          <FilterSelect name="kind" label={t('field.kind')} options={choices('anomaly', ANOMALY_KINDS)} />
          {triage && <FilterSelect name="assigneeId" label={t('anomalies.assignee')} options={(assignees.data ?? []).map((a) => ({ value: a.id, label: a.name }))} />}
          <FilterPeriod />
        </FilterBar>
        <PagedTable paged={paged} empty={t('anomalies.none')} columns={[
          { header: t('anomalies.when'), cell: (c) => <CaseWhen c={c} /> },
          { header: t('anomalies.severity'), cell: (c) => <Badge tone={SEVERITY_TONE[c.severity]}>{t(`severity.${c.severity}`)}</Badge> },
          { header: t('anomalies.kinds'), cell: (c) => <ul className="plain">{c.kinds.map((k) => <li key={k}>{t(`anomaly.${k}`)}</li>)}</ul> },
          { header: t('anomalies.who'), cell: (c) => (
            <>{c.person ?? c.accountRef}{c.contractorName && <><br /><span className="muted">{c.contractorName}</span></>}
              {(c.resourceName ?? c.resourceRef) && <><br /><span className="muted">→ {c.resourceName ?? c.resourceRef}</span></>}</>
          ) },
          { header: t('field.status'), cell: (c) => (
            <><Badge tone={STATUS_TONE[c.status]}>{t(`astatus.${c.status}`)}</Badge>
              <br /><span className="muted">{c.assignee ? c.assignee.name : t('anomalies.unassigned')}</span></>
          ) },
          { header: t('field.actions'), hidden: !triage, cell: (c) => <Triage c={c} assignees={assignees.data ?? []} onDone={changed} /> },
        ]} />
      </div>
    </>
  );
}

/** When the connection started (one date format in the row), what correlation wrote, and how it was closed. */
function CaseWhen({ c }: { c: AnomalyCase }) {
  const { t, dateTime } = useI18n();
  return (
    <>
      {dateTime(c.startedAt)}
      <Disclosure summary={t('anomalies.details')}>
        <ul>{c.details.map((d) => <li key={d}>{d}</li>)}</ul>
        {c.sourceIp && <p className="muted">{t('anomalies.sourceIp', { ip: c.sourceIp })}</p>}
        {c.closedBy && <p>{t('anomalies.closedBy', { name: c.closedBy.name, at: dateTime(c.closedAt), comment: c.closeComment ?? '' })}</p>}
        <Link to={`/audit?targetType=anomaly&targetId=${c.id}`}>{t('anomalies.history')}</Link>
      </Disclosure>
    </>
  );
}

/** The acts the case's status allows, each answered by a success line or the API's problem. */
function Triage({ c, assignees, onDone }: { c: AnomalyCase; assignees: Assignee[]; onDone: () => void }) {
  const { t } = useI18n();
  const form = useForm();
  const [assignee, setAssignee] = useState('');
  const act = (run: () => Promise<unknown>, success: MessageKey) => void form.run(run, t(success)).then((done) => done && onDone());
  const path = at(c.id);
  return (
    <div className="stack">
      {c.status === 'open' && (
        <button type="button" disabled={form.busy} onClick={() => act(() => ok(api.POST('/v1/anomaly-cases/{id}/acknowledge', path)), 'anomalies.acknowledged')}>
          {t('anomalies.acknowledge')}
        </button>
      )}
      {c.status !== 'closed' && (
        <div className="row">
          <label className="sr-only" htmlFor={`assign-${c.id}`}>{t('anomalies.assignTo')}</label>
          <select id={`assign-${c.id}`} value={assignee} onChange={(e) => setAssignee(e.target.value)}>
            <option value="">{t('anomalies.assignTo')}</option>
            {assignees.filter((a) => a.id !== c.assignee?.id).map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
          </select>
          <button type="button" disabled={form.busy || !assignee}
            onClick={() => act(() => ok(api.POST('/v1/anomaly-cases/{id}/assign', { ...path, body: { assigneeId: assignee } })), 'anomalies.assigned')}>
            {t('anomalies.assign')}
          </button>
        </div>
      )}
      {c.status !== 'closed' && (
        <ConfirmAction label={t('anomalies.close')} reason={t('anomalies.comment')} consequence={t('anomalies.closeConsequence')}
          success={t('anomalies.closed')} onDone={onDone}
          act={(comment) => ok(api.POST('/v1/anomaly-cases/{id}/close', { ...path, body: { comment } }))} />
      )}
      {c.status === 'closed' && (
        <ConfirmAction label={t('anomalies.reopen')} reason={t('anomalies.comment')} consequence={t('anomalies.reopenConsequence')}
          success={t('anomalies.reopened')} onDone={onDone}
          act={(comment) => ok(api.POST('/v1/anomaly-cases/{id}/reopen', { ...path, body: { comment } }))} />
      )}
      <FormStatus form={form} />
    </div>
  );
}
