import { useState } from 'react';
import { api, AuditEvent, AuditVerification, okAs } from '../api';
import { FilterBar, FilterPeriod, FilterSelect } from '../filters';
import { useI18n } from '../i18n';
import { MESSAGES, MessageKey } from '../messages';
import { useLocation } from '../router';
import { PagedTable } from '../table';
import { Badge, Loading, PageTitle, ProblemBox, Section, useLoad, usePaged } from '../ui';

/** The kinds of act: each action's prefix (`account` for account.suspended), filtered by the API's `actionGroup`. */
const GROUPS = [
  'account', 'habilitation', 'user', 'contractor', 'prestation', 'signature', 'document', 'derogation', 'departure', 'incident',
  'intervention', 'report', 'review', 'journal', 'anomaly', 'resource', 'api_key', 'webhook', 'session', 'tenant',
] as const;

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Fields = Record<string, unknown>;
const asFields = (v: unknown): Fields => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Fields) : v == null ? {} : { value: v });

/** The fields whose value changed (a creation: every field it recorded), in the order they were recorded. */
export function changedFields(before: unknown, after: unknown): { field: string; before: unknown; after: unknown }[] {
  const b = asFields(before);
  const a = asFields(after);
  const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return fields.filter((f) => JSON.stringify(b[f]) !== JSON.stringify(a[f])).map((f) => ({ field: f, before: b[f], after: a[f] }));
}

/** R-AUD: the tenant's hash-chained trail in plain words, with the result of recomputing the chain. */
export function AuditPage() {
  const { t } = useI18n();
  const verification = useLoad(() => okAs<AuditVerification>(api.GET('/v1/audit-events/verify')), []);
  // A link to one object's history (`?targetType=anomaly&targetId=...`) starts filtered on it.
  const { query } = useLocation();
  const [filter, setFilter] = useState<Record<string, string | undefined>>(() => ({
    targetType: query.get('targetType') ?? undefined, targetId: query.get('targetId') ?? undefined,
  }));
  const paged = usePaged((cursor, limit) => api.GET('/v1/audit-events', { params: { query: { ...filter, cursor, limit } } }), [filter]);
  const v = verification.data;
  const label = (key: string, fallback: string) => (key in MESSAGES ? t(key as MessageKey) : fallback);
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
        <FilterBar onFilter={setFilter}>
          <FilterSelect name="actionGroup" label={t('audit.group')} options={GROUPS.map((g) => ({ value: g, label: t(`agroup.${g}`) }))} />
          <FilterPeriod />
        </FilterBar>
        {filter.targetId && (
          <p className="muted">{t('audit.oneObject')} <button type="button" onClick={() => setFilter({})}>{t('audit.allObjects')}</button></p>
        )}
        <PagedTable paged={paged} empty={t('audit.none')} columns={[
          { header: t('audit.when'), cell: (e) => <Moment e={e} /> },
          { header: t('audit.actor'), cell: (e) => <Actor e={e} /> },
          { header: t('audit.action'), cell: (e) => label(`auditAct.${e.action}`, e.action) },
          { header: t('audit.target'), cell: (e) => (
            <>{e.target.label ?? t('audit.unnamed')}<br /><span className="muted">{label(`atype.${e.target.type}`, e.target.type)}</span></>
          ) },
          { header: t('audit.change'), cell: (e) => <Difference e={e} /> },
        ]} />
      </Section>
    </>
  );
}

function Moment({ e }: { e: AuditEvent }) {
  const { dateTime } = useI18n();
  return <span title={`#${e.seq}`}>{dateTime(e.occurredAt)}</span>;
}

/** A person by name (the recorded e-mail below), a gateway by its key's name, else the platform itself. */
function Actor({ e }: { e: AuditEvent }) {
  const { t } = useI18n();
  if (e.actor.type === 'gateway') return <>{t('audit.gateway')}{e.actor.name && <><br /><span className="muted">{e.actor.name}</span></>}</>;
  if (e.actor.type !== 'user') return <>{t('audit.system')}</>;
  return <>{e.actor.name ?? e.actor.label}{e.actor.name && e.actor.label && <><br /><span className="muted">{e.actor.label}</span></>}</>;
}

/** Before → after, one line per changed field, with the field's French name where known. */
function Difference({ e }: { e: AuditEvent }) {
  const { t, date, dateTime } = useI18n();
  // Ids are for machines: a field holding only ids (or nothing) is left out; its name, when recorded, is shown instead.
  const rows = changedFields(e.before, e.after).filter((r) => ![r.before, r.after].flat().every((v) => v == null || (typeof v === 'string' && UUID.test(v))));
  if (!rows.length) return null;
  const show = (v: unknown): string => {
    if (v === null || v === undefined || v === '') return t('audit.empty');
    if (typeof v === 'boolean') return t(v ? 'audit.yes' : 'audit.no');
    if (Array.isArray(v)) return v.map(show).join(', ') || t('audit.empty');
    if (typeof v === 'string' && `avalue.${v}` in MESSAGES) return t(`avalue.${v}` as MessageKey);
    if (typeof v === 'string') return DAY.test(v) ? date(v) : INSTANT.test(v) ? dateTime(v) : v;
    if (typeof v === 'object') {
      return `(${Object.entries(v).filter(([, x]) => x != null && x !== '').map(([k, x]) => `${name(k)} : ${show(x)}`).join(' ; ')})`;
    }
    return String(v);
  };
  const name = (field: string) => (`afield.${field}` in MESSAGES ? t(`afield.${field}` as MessageKey) : field);
  return (
    <ul className="plain diff">
      {rows.map((r) => (
        <li key={r.field}>
          {/* The values are what was recorded (names, files, free text): data, not the console's own words. */}
          <strong>{`afield.${r.field}` in MESSAGES ? name(r.field) : <code translate="no">{r.field}</code>}</strong> : {r.before !== undefined && <><del translate="no">{show(r.before)}</del> → </>}<ins translate="no">{show(r.after)}</ins>
        </li>
      ))}
    </ul>
  );
}
