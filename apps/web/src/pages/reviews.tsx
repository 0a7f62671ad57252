import { useState } from 'react';
import { api, at, Contractor, listAll, ok, Review, ReviewItem } from '../api';
import { formBody, FormStatus, Select, Submit, useForm } from '../forms';
import { useI18n } from '../i18n';
import type { MessageKey } from '../messages';
import { Link } from '../router';
import { CONTRACTOR_MANAGERS, useSession } from '../session';
import { Badge, DownloadButton, Empty, Loading, PageTitle, ProblemBox, Section, useLoad } from '../ui';
import { PersonFields } from './accounts';

const REVIEW_TONE = { open: 'warn', submitted: 'info', certified: 'ok' } as const;

function ReviewProgress({ review }: { review: Pick<Review, 'itemsDecided' | 'itemsTotal'> }) {
  const { t } = useI18n();
  return (
    <span className="review-progress">
      <progress value={review.itemsDecided} max={Math.max(review.itemsTotal, 1)} aria-label={t('reviews.progress')} />
      <span>{t('reviews.decided', { decided: review.itemsDecided, total: review.itemsTotal })}</span>
    </span>
  );
}

/** R-ART34: where the campaigns stand (RSSI's dashboard), and every campaign the caller may see. */
export function ReviewsPage() {
  const { t, date } = useI18n();
  const { has } = useSession();
  const hospital = has('rssi', 'dsi', 'auditor');
  const dashboard = useLoad(() => (hospital ? ok(api.GET('/v1/reviews/dashboard')) : Promise.resolve(undefined)), []);
  const reviews = useLoad(() => listAll((cursor) => api.GET('/v1/reviews', { params: { query: { cursor } } })), []);
  const contractors = useLoad(() => (has('dsi', 'rssi', 'referent', 'auditor') ? listAll((cursor) => api.GET('/v1/contractors', { params: { query: { cursor } } })) : Promise.resolve([])), []);
  const [status, setStatus] = useState('');
  const name = (id: string) => contractors.data?.find((c) => c.id === id)?.legalName ?? '';
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
          <table>
            <thead><tr><th scope="col">{t('field.contractor')}</th><th scope="col">{t('reviews.due')}</th><th scope="col"><span className="sr-only">{t('field.actions')}</span></th></tr></thead>
            <tbody>{d.toCertify.items.map((c) => (
              <tr key={c.id}><td>{c.contractor}</td><td>{date(c.dueOn)}</td><td><Link className="button primary" to={`/reviews/${c.id}`}>{t('reviews.review')}</Link></td></tr>
            ))}</tbody>
          </table>
        </Section>
      )}
      {d && d.overdue.count > 0 && (
        <Section id="overdue" title={t('reviews.overdueTitle')}>
          <table>
            <thead><tr><th scope="col">{t('field.contractor')}</th><th scope="col">{t('reviews.due')}</th><th scope="col">{t('reviews.daysLate')}</th><th scope="col">{t('reviews.undecided')}</th><th scope="col">{t('reviews.silence')}</th></tr></thead>
            <tbody>{d.overdue.items.map((c) => (
              <tr key={c.id}><td><Link to={`/reviews/${c.id}`}>{c.contractor}</Link></td><td>{date(c.dueOn)}</td><td>{c.daysLate}</td><td>{c.undecided}</td>
                <td>{c.silenced ? <Badge tone="bad">{t('reviews.silenced')}</Badge> : '—'}</td></tr>
            ))}</tbody>
          </table>
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
        <ProblemBox problem={reviews.problem} />
        <Loading when={reviews.loading && !reviews.data} />
        {reviews.data && !shown.length && <Empty>{t('reviews.none')}</Empty>}
        {shown.length > 0 && (
          <table>
            <thead><tr><th scope="col">{t('field.contractor')}</th><th scope="col">{t('field.status')}</th><th scope="col">{t('reviews.due')}</th><th scope="col">{t('reviews.progress')}</th></tr></thead>
            <tbody>{shown.map((r) => (
              <tr key={r.id}>
                <td><Link to={`/reviews/${r.id}`}>{name(r.contractorId) || t('reviews.campaign')}</Link></td>
                <td><Badge tone={REVIEW_TONE[r.status]}>{t(`rstatus.${r.status}` as MessageKey)}</Badge>{r.overdue && <> <Badge tone="bad">{t('rstatus.overdue')}</Badge></>}</td>
                <td>{date(r.dueOn)}</td>
                <td><ReviewProgress review={r} /></td>
              </tr>
            ))}</tbody>
          </table>
        )}
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

function describe(item: ReviewItem, t: (k: MessageKey) => string): { person: string; access: string } {
  const s = item.snapshot as Record<string, string | null>;
  const person = `${s.firstName ?? ''} ${s.lastName ?? ''}`.trim();
  if (item.kind === 'habilitation') return { person, access: `${s.resource} · ${t(`level.${s.level}` as MessageKey)} · ${t(`access.${s.accessType}` as MessageKey)}` };
  if (item.kind === 'addition') return { person, access: t('reviews.addition') };
  return { person, access: t('reviews.accountItem') };
}

/** One campaign: the contractor attests each item, the RSSI may override and certifies (R-ART34). */
export function ReviewPage({ id }: { id: string }) {
  const { t, date, dateTime } = useI18n();
  const { has } = useSession();
  const review = useLoad(() => ok(api.GET('/v1/reviews/{id}', at(id))), [id]);
  const contractor = useLoad(async () => (review.data ? ok(api.GET('/v1/contractors/{id}', at(review.data.contractorId))) : undefined), [review.data?.contractorId]);
  const form = useForm();
  const r = review.data;
  if (review.problem) return <ProblemBox problem={review.problem} />;
  if (!r) return <Loading when />;
  const attester = has(...CONTRACTOR_MANAGERS) && r.status === 'open';
  const rssi = has('rssi') && r.status !== 'certified';
  return (
    <>
      <PageTitle>{t('reviews.campaignOf', { name: contractor.data?.legalName ?? '' })}</PageTitle>
      <div className="card summary">
        <dl className="facts">
          <dt>{t('field.status')}</dt><dd><Badge tone={REVIEW_TONE[r.status]}>{t(`rstatus.${r.status}` as MessageKey)}</Badge>{r.overdue && <> <Badge tone="bad">{t('rstatus.overdue')}</Badge></>}</dd>
          <dt>{t('reviews.due')}</dt><dd>{date(r.dueOn)}</dd>
          <dt>{t('reviews.openedAt')}</dt><dd>{dateTime(r.openedAt)}</dd>
          {r.submittedAt && <><dt>{t('reviews.submittedAt')}</dt><dd>{dateTime(r.submittedAt)}</dd></>}
          {r.certifiedAt && <><dt>{t('reviews.certifiedAt')}</dt><dd>{dateTime(r.certifiedAt)}</dd></>}
          <dt>{t('reviews.progress')}</dt><dd><ReviewProgress review={r} /></dd>
        </dl>
        <div className="stack">
          {has('rssi') && r.status === 'submitted' && (
            <button type="button" className="primary" disabled={form.busy}
              onClick={() => void form.run(() => ok(api.POST('/v1/reviews/{id}/certify', at(id))), t('reviews.certifiedDone')).then((ok) => ok && review.reload())}>{t('reviews.certify')}</button>
          )}
          {attester && (
            <button type="button" className="primary" disabled={form.busy}
              onClick={() => void form.run(() => ok(api.POST('/v1/reviews/{id}/submit', at(id))), t('reviews.submittedDone')).then((ok) => ok && review.reload())}>{t('reviews.submit')}</button>
          )}
          {r.status === 'certified' && has('dsi', 'rssi', 'auditor') && (
            <div className="row">
              <DownloadButton path={`/v1/reviews/${id}/evidence?format=html`} label={t('reviews.evidenceHtml')} />
              <DownloadButton path={`/v1/reviews/${id}/evidence?format=csv`} label={t('reviews.evidenceCsv')} />
              <DownloadButton path={`/v1/reviews/${id}/evidence?format=json`} label={t('reviews.evidenceJson')} />
            </div>
          )}
          <FormStatus form={form} />
        </div>
      </div>
      <Section id="items" title={t('reviews.items')}>
        {!r.items?.length && <Empty>{t('reviews.noItems')}</Empty>}
        {!!r.items?.length && (
          <table>
            <thead><tr>
              <th scope="col">{t('contacts.person')}</th><th scope="col">{t('reviews.access')}</th><th scope="col">{t('reviews.since')}</th>
              <th scope="col">{t('reviews.lastUsed')}</th><th scope="col">{t('reviews.decision')}</th>{rssi && <th scope="col">{t('reviews.override')}</th>}
            </tr></thead>
            <tbody>{r.items.map((item) => <ItemRow key={item.id} reviewId={id} item={item} attester={attester} rssi={rssi} onChange={review.reload} />)}</tbody>
          </table>
        )}
      </Section>
      {attester && <AddPerson reviewId={id} onDone={review.reload} />}
    </>
  );
}

function ItemRow({ reviewId, item, attester, rssi, onChange }: { reviewId: string; item: ReviewItem; attester: boolean; rssi: boolean; onChange: () => void }) {
  const { t, dateTime } = useI18n();
  const form = useForm();
  const { person, access } = describe(item, t);
  const decisionText = (d?: string | null, level?: string | null) => (d ? `${t(`decision.${d}` as MessageKey)}${level ? ` (${t(`level.${level}` as MessageKey)})` : ''}` : '—');
  return (
    <tr>
      <th scope="row">{person}<br /><span className="muted">{String((item.snapshot as Record<string, unknown>).email ?? '')}</span></th>
      <td>{access}</td>
      <td>{t(`since.${item.sinceLastCampaign}` as MessageKey)}</td>
      <td>{item.lastUsedAt ? dateTime(item.lastUsedAt) : <Badge tone="warn">{t('reviews.unused')}</Badge>}</td>
      <td>
        {attester
          ? <Decide label={`${person} — ${access}`} item={item} current={item.decision} level={item.newLevel} busy={form.busy}
            onDecide={(body) => void form.run(() => ok(api.POST('/v1/reviews/{id}/items/{itemId}', { params: { path: { id: reviewId, itemId: item.id } }, body: formBody(body) }))).then((ok) => ok && onChange())} />
          : decisionText(item.decision, item.newLevel)}
        {item.rssiDecision && <><br /><Badge tone="info">{t('reviews.rssiSaid', { decision: decisionText(item.rssiDecision, item.rssiLevel) })}</Badge></>}
        <FormStatus form={form} />
      </td>
      {rssi && (
        <td>
          <Decide label={`${t('reviews.override')} ${person} — ${access}`} item={item} current={item.rssiDecision} level={item.rssiLevel} busy={form.busy}
            onDecide={(body) => void form.run(() => ok(api.POST('/v1/reviews/{id}/items/{itemId}/override', { params: { path: { id: reviewId, itemId: item.id } }, body: formBody(body) }))).then((ok) => ok && onChange())} />
        </td>
      )}
    </tr>
  );
}

/** keep / change (with the new level, for habilitations) / remove. */
interface DecideProps {
  label: string;
  item: ReviewItem;
  current?: string | null;
  level?: string | null;
  busy: boolean;
  onDecide: (body: { decision: string; level?: string }) => void;
}

function Decide({ label, item, current, level, busy, onDecide }: DecideProps) {
  const { t } = useI18n();
  const [decision, setDecision] = useState(current ?? '');
  const [newLevel, setNewLevel] = useState(level ?? '');
  const choices = item.kind === 'habilitation' ? ['keep', 'change', 'remove'] : ['keep', 'remove'];
  return (
    <form className="decide" aria-label={label} onSubmit={(e) => { e.preventDefault(); onDecide({ decision, ...(decision === 'change' && newLevel ? { level: newLevel } : {}) }); }}>
      <select aria-label={t('reviews.decision')} value={decision} onChange={(e) => setDecision(e.target.value)} required>
        <option value="" />
        {choices.map((c) => <option key={c} value={c}>{t(`decision.${c}` as MessageKey)}</option>)}
      </select>
      {decision === 'change' && (
        <select aria-label={t('field.level')} value={newLevel} onChange={(e) => setNewLevel(e.target.value)} required>
          <option value="" />
          {['read', 'operate', 'admin'].map((l) => <option key={l} value={l}>{t(`level.${l}` as MessageKey)}</option>)}
        </select>
      )}
      <button type="submit" disabled={busy || !decision}>{t('action.save')}</button>
    </form>
  );
}

function AddPerson({ reviewId, onDone }: { reviewId: string; onDone: () => void }) {
  const { t } = useI18n();
  const form = useForm();
  return (
    <Section id="add" title={t('reviews.addTitle')}>
      <form noValidate onSubmit={form.onSubmit(async (values) => {
        await ok(api.POST('/v1/reviews/{id}/additions', { ...at(reviewId), body: formBody(values) }));
        onDone();
      }, { success: t('reviews.added'), reset: true })}>
        <p className="muted">{t('reviews.addHelp')}</p>
        <FormStatus form={form} />
        <PersonFields form={form} />
        <Submit form={form}>{t('reviews.addSubmit')}</Submit>
      </form>
    </Section>
  );
}
