import { useState } from 'react';
import { api, Contractor, listAll, ok } from '../api';
import { formBody, FormStatus, Select, Submit, useForm } from '../forms';
import { useI18n } from '../i18n';
import type { MessageKey } from '../messages';
import { Link } from '../router';
import { useSession } from '../session';
import { DataTable, LoadedTable } from '../table';
import { Badge, Loading, PageTitle, ProblemBox, Section, useLoad } from '../ui';
import { REVIEW_TONE, ReviewProgress } from './review';

export { ReviewPage } from './review';

/** R-ART34: where the campaigns stand (RSSI's dashboard), and every campaign the caller may see. */
export function ReviewsPage() {
  const { t, date } = useI18n();
  const { has } = useSession();
  const hospital = has('rssi', 'dsi', 'auditor');
  const dashboard = useLoad(() => (hospital ? ok(api.GET('/v1/reviews/dashboard')) : Promise.resolve(undefined)), []);
  const reviews = useLoad(() => listAll((cursor) => api.GET('/v1/reviews', { params: { query: { cursor } } })), []);
  const contractors = useLoad(() => (has('dsi', 'rssi') ? listAll((cursor) => api.GET('/v1/contractors', { params: { query: { cursor } } })) : Promise.resolve([])), []);
  const [status, setStatus] = useState('');
  const d = dashboard.data;
  const shown = (reviews.data ?? []).filter((r) => !status || r.status === status || (status === 'overdue' && r.overdue));
  return (
    <>
      <PageTitle>{t('reviews.title')}</PageTitle>
      <ProblemBox problem={dashboard.problem} />
      {d && (
        <div className="tiles">
          <div className="tile"><span className="tile-n">{d.campaignsByStatus.open}</span><span>{t('reviews.open')}</span></div>
          <div className="tile tile-bad"><span className="tile-n">{d.overdue.count}</span><span>{t('reviews.overdue')}</span></div>
          <div className="tile tile-info"><span className="tile-n">{d.toCertify.count}</span><span>{t('reviews.toCertify')}</span></div>
          <div className="tile tile-ok"><span className="tile-n">{d.campaignsByStatus.certified}</span><span>{t('reviews.certified')}</span></div>
          <div className="tile tile-bad"><span className="tile-n">{d.suspendedForReview.count}</span><span>{t('reviews.suspended')}</span></div>
        </div>
      )}
      {d && d.toCertify.count > 0 && (
        <Section id="to-certify" title={t('reviews.toCertifyTitle')}>
          <DataTable rows={d.toCertify.items} columns={[
            { header: t('field.contractor'), rowHeader: true, cell: (c) => c.contractor },
            { header: t('reviews.due'), cell: (c) => date(c.dueOn) },
            { header: t('field.actions'), cell: (c) => <Link className="button primary" to={`/reviews/${c.id}`}>{t('reviews.review')}</Link> },
          ]} />
        </Section>
      )}
      {d && d.overdue.count > 0 && (
        <Section id="overdue" title={t('reviews.overdueTitle')}>
          <DataTable rows={d.overdue.items} columns={[
            { header: t('field.contractor'), rowHeader: true, cell: (c) => <Link to={`/reviews/${c.id}`}>{c.contractor}</Link> },
            { header: t('reviews.due'), cell: (c) => date(c.dueOn) },
            { header: t('reviews.daysLate'), cell: (c) => c.daysLate },
            { header: t('reviews.undecided'), cell: (c) => c.undecided },
            { header: t('reviews.silence'), cell: (c) => (c.silenced ? <Badge tone="bad">{t('reviews.silenced')}</Badge> : '—') },
          ]} />
        </Section>
      )}
      {d && d.suspendedForReview.count > 0 && (
        <Section id="suspended" title={t('reviews.suspendedTitle')}>
          <ul className="plain">{d.suspendedForReview.items.map((s) => <li key={s.accountId}>{s.person} <span className="muted">{s.email} · {s.contractor}</span></li>)}</ul>
        </Section>
      )}
      <Section id="campaigns" title={t('reviews.campaigns')}>
        <div className="filters">
          <div className="field">
            <label htmlFor="r-status">{t('field.status')}</label>
            <select id="r-status" value={status} onChange={(e) => setStatus(e.target.value)}>
              <option value="">{t('filter.all')}</option>
              {['open', 'overdue', 'submitted', 'certified'].map((s) => <option key={s} value={s}>{t(`rstatus.${s}` as MessageKey)}</option>)}
            </select>
          </div>
        </div>
        <Loading when={reviews.loading && !reviews.data} />
        <LoadedTable loaded={{ ...reviews, data: reviews.data && shown }} empty={t('reviews.none')} label={t('reviews.campaigns')} columns={[
          { header: t('field.contractor'), rowHeader: true, cell: (r) => <Link to={`/reviews/${r.id}`}>{r.contractorName}</Link> },
          { header: t('field.status'), cell: (r) => <><Badge tone={REVIEW_TONE[r.status]}>{t(`rstatus.${r.status}` as MessageKey)}</Badge>{r.overdue && <> <Badge tone="bad">{t('rstatus.overdue')}</Badge></>}</> },
          { header: t('reviews.due'), cell: (r) => date(r.dueOn) },
          { header: t('reviews.progress'), cell: (r) => <ReviewProgress review={r} /> },
        ]} />
      </Section>
      {has('dsi', 'rssi') && <OpenCampaign contractors={contractors.data ?? []} onDone={() => { reviews.reload(); dashboard.reload(); }} />}
    </>
  );
}

function OpenCampaign({ contractors, onDone }: { contractors: Contractor[]; onDone: () => void }) {
  const { t } = useI18n();
  const form = useForm();
  return (
    <Section id="open" title={t('reviews.openNow')}>
      <form noValidate onSubmit={form.onSubmit(async (values) => {
        await ok(api.POST('/v1/reviews', { body: formBody(values) }));
        onDone();
      }, { success: t('reviews.opened') })}>
        <p className="muted">{t('reviews.openHelp')}</p>
        <FormStatus form={form} />
        <Select form={form} name="contractorId" label={t('field.contractor')} required placeholder="" options={contractors.filter((c) => !c.primeContractorId).map((c) => ({ value: c.id, label: c.legalName }))} />
        <Submit form={form}>{t('reviews.openSubmit')}</Submit>
      </form>
    </Section>
  );
}
