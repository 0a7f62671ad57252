import { useState } from 'react';
import { api, at, download, ok, Problem, Review, ReviewItem } from '../api';
import { announce, ConfirmAction } from '../confirm';
import { asProblem, formBody, FormStatus, Submit, useForm } from '../forms';
import { Translate, useI18n } from '../i18n';
import type { MessageKey } from '../messages';
import { CONTRACTOR_MANAGERS, useSession } from '../session';
import { DataTable } from '../table';
import { Badge, DownloadButton, Empty, Loading, PageTitle, ProblemBox, Section, todayIso, useLoad } from '../ui';
import { PersonFields } from './accounts';

export const REVIEW_TONE = { open: 'warn', submitted: 'info', certified: 'ok' } as const;

export function ReviewProgress({ review }: { review: Pick<Review, 'itemsDecided' | 'itemsTotal'> }) {
  const { t } = useI18n();
  return (
    <span className="review-progress">
      <progress value={review.itemsDecided} max={Math.max(review.itemsTotal, 1)} aria-label={t('reviews.progress')} />
      <span>{t('reviews.decided', { decided: review.itemsDecided, total: review.itemsTotal })}</span>
    </span>
  );
}

/** A decision as chosen in a row: keep / change (with the new level) / remove. */
type Choice = { decision: string; level?: string };

const snapshotOf = (item: ReviewItem) => item.snapshot as Record<string, string | null>;

function describe(item: ReviewItem, t: Translate): { person: string; access: string } {
  const s = snapshotOf(item);
  const person = `${s.firstName ?? ''} ${s.lastName ?? ''}`.trim();
  if (item.kind === 'habilitation') return { person, access: `${s.resource} · ${t(`level.${s.level}` as MessageKey)} · ${t(`access.${s.accessType}` as MessageKey)}` };
  return { person, access: t(item.kind === 'addition' ? 'reviews.addition' : 'reviews.accountItem') };
}

/** The decision that applies at certification: the RSSI's when given, else the contractor's. */
const finalOf = (i: ReviewItem): Choice => ({ decision: i.rssiDecision ?? i.decision ?? '', level: i.rssiLevel ?? i.newLevel ?? undefined });

/** One campaign: the contractor decides the whole list and attests it once; the RSSI may override and certifies (R-ART34). */
export function ReviewPage({ id }: { id: string }) {
  const { t, date, dateTime } = useI18n();
  const { has } = useSession();
  const review = useLoad(() => ok(api.GET('/v1/reviews/{id}', at(id))), [id]);
  // Unsaved choices of the contractor, by item; saved together (POST /v1/reviews/{id}/items).
  const [draft, setDraft] = useState<Record<string, Choice>>({});
  const r = review.data;
  if (review.problem) return <ProblemBox problem={review.problem} />;
  if (!r) return <Loading when />;
  const items = r.items ?? [];
  const attester = has(...CONTRACTOR_MANAGERS) && r.status === 'open';
  const rssi = has('rssi') && r.status !== 'certified';
  const company = r.contractorName;
  const choiceOf = (i: ReviewItem): Choice | undefined => draft[i.id] ?? (i.decision ? { decision: i.decision, level: i.newLevel ?? undefined } : undefined);
  const decidable = items.filter((i) => i.kind !== 'addition');
  const unsaved = Object.keys(draft).length;
  const decided = items.filter((i) => choiceOf(i)).length;
  const fill = (pick: (i: ReviewItem) => boolean, decision: string) => setDraft((d) => ({
    ...d, ...Object.fromEntries(decidable.filter((i) => !choiceOf(i) && pick(i)).map((i) => [i.id, { decision }])),
  }));
  const unusedAccounts = decidable.filter((i) => i.kind === 'account' && !i.lastUsedAt);
  const recommended = (i: ReviewItem) => !i.lastUsedAt && unusedAccounts.some((a) => a.accountId === i.accountId);
  const done = () => { setDraft({}); review.reload(); };
  return (
    <>
      <PageTitle>{t('reviews.campaignOf', { name: company })}</PageTitle>
      <div className="card summary">
        <dl className="facts">
          <dt>{t('field.status')}</dt><dd><Badge tone={REVIEW_TONE[r.status]}>{t(`rstatus.${r.status}` as MessageKey)}</Badge>{r.overdue && <> <Badge tone="bad">{t('rstatus.overdue')}</Badge></>}</dd>
          <dt>{t('reviews.due')}</dt><dd>{date(r.dueOn)}</dd>
          <dt>{t('reviews.openedAt')}</dt><dd>{dateTime(r.openedAt)}</dd>
          {r.submittedAt && <><dt>{t('reviews.submittedAt')}</dt><dd>{dateTime(r.submittedAt)}</dd></>}
          {r.attestationStatement && <><dt>{t('reviews.statementStored')}</dt><dd>{r.attestationStatement}</dd></>}
          {r.certifiedAt && <><dt>{t('reviews.certifiedAt')}</dt><dd>{dateTime(r.certifiedAt)}</dd></>}
          <dt>{t('reviews.progress')}</dt><dd><ReviewProgress review={{ itemsDecided: decided, itemsTotal: items.length }} /></dd>
        </dl>
        <div className="stack">
          {has('rssi') && r.status === 'submitted' && (
            <ConfirmAction label={t('reviews.certify')} consequence={t('act.review.certify', { company })} success={t('reviews.certifiedDone')}
              act={() => ok(api.POST('/v1/reviews/{id}/certify', at(id)))} onDone={done}>
              <CertificationSummary items={items} />
            </ConfirmAction>
          )}
          {attester && <Attest review={r} decided={decided === items.length && !unsaved} onDone={done} />}
          {r.status === 'certified' && has('dsi', 'rssi', 'auditor') && <Evidence id={id} />}
        </div>
      </div>
      <Section id="items" title={t('reviews.items')} actions={attester && decidable.length > 0 && (
        <>
          <button type="button" onClick={() => fill((i) => !!i.lastUsedAt, 'keep')}>{t('reviews.keepUsed')}</button>
          <SaveAll id={id} draft={draft} onDone={done} />
        </>
      )}>
        {attester && unusedAccounts.length > 0 && (
          <div className="alert alert-info">
            <p>{t('reviews.unusedAdvice', { count: unusedAccounts.length, since: date(r.periodStart) })}</p>
            <button type="button" onClick={() => fill(recommended, 'remove')}>{t('reviews.followAdvice')}</button>
          </div>
        )}
        {attester && unsaved > 0 && <p className="alert alert-warn">{t('reviews.unsaved', { count: unsaved })}</p>}
        {!items.length && <Empty>{t('reviews.noItems')}</Empty>}
        {items.length > 0 && (
          <DataTable rows={items} label={t('reviews.items')} columns={[
            { header: t('contacts.person'), rowHeader: true, cell: (i) => <>{describe(i, t).person}<br /><span className="muted">{snapshotOf(i).email ?? ''}</span></> },
            { header: t('reviews.access'), cell: (i) => describe(i, t).access },
            { header: t('reviews.since'), cell: (i) => t(`since.${i.sinceLastCampaign}` as MessageKey) },
            { header: t('reviews.lastUsed'), cell: (i) => (i.lastUsedAt ? dateTime(i.lastUsedAt) : <>
              <Badge tone="warn">{t('reviews.unused')}</Badge>
              {attester && recommended(i) && <><br /><span className="muted">{t('reviews.recommendRemove')}</span></>}
            </>) },
            { header: t('reviews.decision'), cell: (i) => (
              <>
                {attester && i.kind !== 'addition'
                  ? <Choose label={`${describe(i, t).person} — ${describe(i, t).access}`} item={i} value={choiceOf(i)}
                    onChange={(c) => setDraft((d) => ({ ...d, [i.id]: c }))} />
                  : <DecisionText choice={choiceOf(i)} />}
                {i.rssiDecision && <><br /><Badge tone="info">{t('reviews.rssiSaid', { decision: decisionText(t, i.rssiDecision, i.rssiLevel) })}</Badge></>}
              </>
            ) },
            { header: t('reviews.override'), hidden: !rssi, cell: (i) => i.kind !== 'addition' && <Override reviewId={id} item={i} onDone={review.reload} /> },
          ]} />
        )}
      </Section>
      {attester && <AddPerson reviewId={id} onDone={review.reload} />}
    </>
  );
}

function decisionText(t: Translate, decision?: string | null, level?: string | null): string {
  if (!decision) return '—';
  return `${t(`decision.${decision}` as MessageKey)}${level ? ` (${t(`level.${level}` as MessageKey)})` : ''}`;
}

function DecisionText({ choice }: { choice?: Choice }) {
  const { t } = useI18n();
  return <>{decisionText(t, choice?.decision, choice?.level)}</>;
}

/** keep / change (with the new level, for habilitations) / remove, as selects: nothing is sent until the list is saved. */
function Choose({ label, item, value, onChange }: { label: string; item: ReviewItem; value?: Choice; onChange: (choice: Choice) => void }) {
  const { t } = useI18n();
  const choices = item.kind === 'habilitation' ? ['keep', 'change', 'remove'] : ['keep', 'remove'];
  return (
    <span className="decide" role="group" aria-label={label}>
      <select aria-label={t('reviews.decision')} value={value?.decision ?? ''} onChange={(e) => onChange({ decision: e.target.value, level: value?.level })}>
        <option value="" />
        {choices.map((c) => <option key={c} value={c}>{t(`decision.${c}` as MessageKey)}</option>)}
      </select>
      {value?.decision === 'change' && (
        <select aria-label={t('field.level')} value={value.level ?? ''} onChange={(e) => onChange({ decision: 'change', level: e.target.value })}>
          <option value="" />
          {['read', 'operate', 'admin'].map((l) => <option key={l} value={l}>{t(`level.${l}` as MessageKey)}</option>)}
        </select>
      )}
    </span>
  );
}

/** One save for the whole list: every unsaved choice in one request, all or nothing; the API's problems name the rows. */
function SaveAll({ id, draft, onDone }: { id: string; draft: Record<string, Choice>; onDone: () => void }) {
  const { t } = useI18n();
  const form = useForm();
  const entries = Object.entries(draft).filter(([, c]) => c.decision);
  const save = () => form.run(async () => {
    await ok(api.POST('/v1/reviews/{id}/items', { ...at(id), body: formBody({
      items: entries.map(([itemId, c]) => ({ itemId, decision: c.decision, ...(c.decision === 'change' && c.level ? { level: c.level } : {}) })),
    }) }));
    announce(t('reviews.saved', { count: entries.length }));
    onDone();
  });
  return (
    <>
      <button type="button" className="primary" disabled={form.busy || !entries.length} onClick={() => void save()}>{t('reviews.saveAll')}</button>
      <FormStatus form={form} />
    </>
  );
}

/** R-ART34: the contact ticks the statement, then submits; enabled once every row is decided and saved. */
function Attest({ review: r, decided, onDone }: { review: Review; decided: boolean; onDone: () => void }) {
  const { t } = useI18n();
  const [ticked, setTicked] = useState(false);
  const statement = t('reviews.statement', { company: r.contractorName, date: todayIso().split('-').reverse().join('/') });
  return (
    <ConfirmAction label={t('reviews.submit')} consequence={t('act.review.submit', { company: r.contractorName })} success={t('reviews.submittedDone')}
      disabled={!decided} hint={decided ? undefined : t('reviews.submitHint')} ready={ticked} onDone={onDone}
      act={() => ok(api.POST('/v1/reviews/{id}/submit', { ...at(r.id), body: { statement } }))}>
      <label className="check statement"><input type="checkbox" checked={ticked} onChange={(e) => setTicked(e.target.checked)} /> {statement}</label>
    </ConfirmAction>
  );
}

/** What certifying will do: accounts deactivated, habilitations withdrawn, levels changed, the rest kept. */
function CertificationSummary({ items }: { items: ReviewItem[] }) {
  const { t } = useI18n();
  const line = (i: ReviewItem) => { const d = describe(i, t); return `${d.person} — ${d.access}`; };
  const removed = items.filter((i) => i.kind === 'account' && finalOf(i).decision === 'remove');
  // A deactivated account's habilitations go with it.
  const withAccount = (i: ReviewItem) => i.kind === 'habilitation' && removed.some((a) => a.accountId === i.accountId);
  const revoked = items.filter((i) => i.kind === 'habilitation' && finalOf(i).decision === 'remove' && !withAccount(i));
  const changed = items.filter((i) => !withAccount(i) && i.kind === 'habilitation' && finalOf(i).decision === 'change' && finalOf(i).level !== snapshotOf(i).level);
  const kept = items.length - removed.length - revoked.length - changed.length - items.filter(withAccount).length;
  const list = (title: string, rows: ReviewItem[], extra?: (i: ReviewItem) => string) => rows.length > 0 && (
    <><h3 className="h4">{title}</h3><ul>{rows.map((i) => <li key={i.id}>{line(i)}{extra?.(i)}</li>)}</ul></>
  );
  return (
    <div className="certification-summary">
      {list(t('reviews.summaryRemove', { count: removed.length }), removed, (i) => (items.some((h) => withAccount(h) && h.accountId === i.accountId) ? t('reviews.withAccess') : ''))}
      {list(t('reviews.summaryRevoke', { count: revoked.length }), revoked)}
      {list(t('reviews.summaryChange', { count: changed.length }), changed, (i) => ` → ${t(`level.${finalOf(i).level}` as MessageKey)}`)}
      <p>{removed.length + revoked.length + changed.length ? t('reviews.summaryKeep', { count: kept }) : t('reviews.summaryNothing')}</p>
    </div>
  );
}

/** The RSSI's override of one row (applied at certification). */
function Override({ reviewId, item, onDone }: { reviewId: string; item: ReviewItem; onDone: () => void }) {
  const { t } = useI18n();
  const form = useForm();
  const [choice, setChoice] = useState<Choice | undefined>(item.rssiDecision ? { decision: item.rssiDecision, level: item.rssiLevel ?? undefined } : undefined);
  const label = `${t('reviews.override')} ${describe(item, t).person} — ${describe(item, t).access}`;
  return (
    <form className="decide" aria-label={label} onSubmit={(e) => {
      e.preventDefault();
      if (choice) void form.run(() => ok(api.POST('/v1/reviews/{id}/items/{itemId}/override', { params: { path: { id: reviewId, itemId: item.id } }, body: formBody(choice) }))).then((saved) => saved && onDone());
    }}>
      <Choose label={label} item={item} value={choice} onChange={setChoice} />
      <button type="submit" disabled={form.busy || !choice?.decision}>{t('action.save')}</button>
      <FormStatus form={form} />
    </form>
  );
}

/** R-ART34 evidence: the printable page opens in a new tab (print from there); CSV and JSON are saved. */
function Evidence({ id }: { id: string }) {
  const { t } = useI18n();
  const [problem, setProblem] = useState<Problem | null>(null);
  const openPrintable = async () => {
    setProblem(null);
    // Opened at the click (a tab opened after the download would be taken for a pop-up), filled once the file is here.
    const tab = window.open('', '_blank');
    try {
      const file = await download(`/v1/reviews/${id}/evidence?format=html`);
      const url = URL.createObjectURL(new Blob([file.blob], { type: 'text/html' }));
      if (tab) tab.location.href = url;
      else window.open(url, '_blank');
    } catch (error) {
      tab?.close();
      setProblem(asProblem(error, t));
    }
  };
  return (
    <div className="row">
      <button type="button" onClick={() => void openPrintable()}>{t('reviews.evidenceHtml')}</button>
      <DownloadButton path={`/v1/reviews/${id}/evidence?format=csv`} label={t('reviews.evidenceCsv')} />
      <DownloadButton path={`/v1/reviews/${id}/evidence?format=json`} label={t('reviews.evidenceJson')} />
      <ProblemBox problem={problem} />
    </div>
  );
}

function AddPerson({ reviewId, onDone }: { reviewId: string; onDone: () => void }) {
  const { t } = useI18n();
  const form = useForm();
  return (
    <Section id="add" title={t('reviews.addTitle')}>
      <form noValidate onSubmit={form.onSend(
        (values) => ok(api.POST('/v1/reviews/{id}/additions', { ...at(reviewId), body: formBody(values) })), onDone, t('reviews.added'),
      )}>
        <p className="muted">{t('reviews.addHelp')}</p>
        <FormStatus form={form} />
        <PersonFields form={form} />
        <Submit form={form}>{t('reviews.addSubmit')}</Submit>
      </form>
    </Section>
  );
}
