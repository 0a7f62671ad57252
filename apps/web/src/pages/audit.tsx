import { useState } from 'react';
import { api, AuditVerification, okAs } from '../api';
import { useI18n } from '../i18n';
import { PagedTable } from '../table';
import { Badge, Loading, PageTitle, ProblemBox, Section, useLoad, usePaged } from '../ui';

/** R-AUD: the tenant's hash-chained trail, with the result of recomputing the chain. */
export function AuditPage() {
  const { t, dateTime } = useI18n();
  const verification = useLoad(() => okAs<AuditVerification>(api.GET('/v1/audit-events/verify')), []);
  const [filter, setFilter] = useState<Record<string, string | undefined>>({});
  const paged = usePaged((cursor, limit) => api.GET('/v1/audit-events', { params: { query: { ...filter, cursor, limit } } }), [filter]);
  const v = verification.data;
  return (
    <>
      <PageTitle actions={<button type="button" onClick={verification.reload} disabled={verification.loading}>{t('audit.verifyAgain')}</button>}>{t('audit.title')}</PageTitle>
      <section className="card" aria-live="polite" aria-labelledby="chain-title">
        <h2 id="chain-title">{t('audit.chain')}</h2>
        <ProblemBox problem={verification.problem} />
        <Loading when={verification.loading} />
        {v && !verification.loading && (v.ok
          ? <p className="verify-ok"><Badge tone="ok">{t('audit.intact')}</Badge> {t('audit.checked', { count: v.checked })}</p>
          : <p className="verify-bad" role="alert"><Badge tone="bad">{t('audit.broken')}</Badge> {t('audit.brokenAt', { seq: v.firstBrokenSeq ?? '?', id: v.firstBrokenId ?? '?' })}</p>)}
      </section>
      <Section id="events" title={t('audit.events')}>
        <form className="filters" role="search" onSubmit={(e) => {
          e.preventDefault();
          const data = new FormData(e.currentTarget);
          const text = (name: string) => String(data.get(name) || '').trim() || undefined;
          const instant = (name: string) => (text(name) ? new Date(text(name)!).toISOString() : undefined);
          setFilter({ action: text('action'), targetType: text('targetType'), targetId: text('targetId'), from: instant('from'), to: instant('to') });
        }}>
          <div className="field"><label htmlFor="au-action">{t('audit.action')}</label><input id="au-action" name="action" placeholder="signature.validated" /></div>
          <div className="field"><label htmlFor="au-type">{t('audit.targetType')}</label><input id="au-type" name="targetType" placeholder="contractor" /></div>
          <div className="field"><label htmlFor="au-target">{t('audit.targetId')}</label><input id="au-target" name="targetId" /></div>
          <div className="field"><label htmlFor="au-from">{t('filter.from')}</label><input id="au-from" name="from" type="datetime-local" /></div>
          <div className="field"><label htmlFor="au-to">{t('filter.to')}</label><input id="au-to" name="to" type="datetime-local" /></div>
          <button type="submit">{t('filter.apply')}</button>
        </form>
        <PagedTable paged={paged} empty={t('audit.none')} columns={[
          { header: '#', cell: (e) => e.seq },
          { header: t('audit.when'), cell: (e) => dateTime(e.occurredAt) },
          { header: t('audit.actor'), cell: (e) => e.actor.label ?? e.actor.type },
          { header: t('audit.action'), cell: (e) => <code>{e.action}</code> },
          { header: t('audit.target'), cell: (e) => <>{e.target.type}<br /><span className="muted mono">{e.target.id ?? ''}</span></> },
          { header: t('audit.change'), cell: (e) => (e.before != null || e.after != null) && (
            <details>
              <summary>{t('audit.details')}</summary>
              {e.before != null && <><h4>{t('audit.before')}</h4><pre>{JSON.stringify(e.before, null, 2)}</pre></>}
              {e.after != null && <><h4>{t('audit.after')}</h4><pre>{JSON.stringify(e.after, null, 2)}</pre></>}
            </details>
          ) },
        ]} />
      </Section>
    </>
  );
}
