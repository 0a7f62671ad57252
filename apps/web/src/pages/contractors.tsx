import { useState } from 'react';
import { api, Gate, GateState, listAll, ok } from '../api';
import { Field, formBody, FormStatus, Select, Submit, useForm } from '../forms';
import { useCodeLabel, useI18n } from '../i18n';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import { Badge, Empty, Loading, MoreButton, PageTitle, ProblemBox, useLoad, usePaged } from '../ui';

/** R-ART2 at a glance: whether each contractor's access is open, and if not, what is missing. */
export function GateSummary({ gate }: { gate: Gate | undefined }) {
  const { t } = useI18n();
  const label = useCodeLabel();
  if (!gate) return <span className="muted">…</span>;
  if (gate.open) return <Badge tone="ok">{t('gate.open')}</Badge>;
  return (
    <div className="gate-closed">
      <Badge tone="bad">{t('gate.closed')}</Badge>
      <ul className="missing">{gate.missing.map((m) => <li key={m.code}>{label(m.code, m.detail)}</li>)}</ul>
    </div>
  );
}

/**
 * The DSI's list of contractors with their gate, filtered by name/SIRET (the loaded rows) and by gate
 * state (by the API, before paging: every page holds only matching companies). Each row's gate comes
 * with the list: no request per company.
 */
export function ContractorsPage() {
  const { t } = useI18n();
  const { has } = useSession();
  const [text, setText] = useState('');
  const [state, setState] = useState<'all' | GateState>('all');
  const paged = usePaged((cursor, limit) => api.GET('/v1/contractors', { params: { query: { cursor, limit, gate: state === 'all' ? undefined : state } } }), [state]);

  const needle = text.trim().toLowerCase();
  const shown = paged.items.filter((c) => !needle || c.legalName.toLowerCase().includes(needle) || c.siret.includes(needle));

  return (
    <>
      <PageTitle actions={has('dsi') && <Link className="button primary" to="/contractors/new">{t('contractors.new')}</Link>}>{t('contractors.title')}</PageTitle>
      <div className="card">
        <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
          <div className="field">
            <label htmlFor="contractor-filter">{t('contractors.filter')}</label>
            <input id="contractor-filter" type="search" value={text} onChange={(e) => setText(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="gate-filter">{t('contractors.gateFilter')}</label>
            <select id="gate-filter" value={state} onChange={(e) => setState(e.target.value as typeof state)}>
              <option value="all">{t('filter.all')}</option>
              <option value="closed">{t('gate.closed')}</option>
              <option value="open">{t('gate.open')}</option>
            </select>
          </div>
        </form>
        <ProblemBox problem={paged.problem} />
        <table>
          <caption className="sr-only">{t('contractors.title')}</caption>
          <thead><tr><th scope="col">{t('field.legalName')}</th><th scope="col">{t('field.siret')}</th><th scope="col">{t('contractors.gate')}</th></tr></thead>
          <tbody>
            {shown.map((c) => (
              <tr key={c.id}>
                <th scope="row"><Link to={`/contractors/${c.id}`}>{c.legalName}</Link>{c.primeContractorId && <span className="muted"> · {t('contractors.subcontractor')}</span>}</th>
                <td>{c.siret}</td>
                <td><GateSummary gate={c.gate} /></td>
              </tr>
            ))}
          </tbody>
        </table>
        {!paged.loading && shown.length === 0 && <Empty>{t('contractors.none')}</Empty>}
        <Loading when={paged.loading} />
        <MoreButton paged={paged} />
      </div>
    </>
  );
}

/** R-ART3/R-ART4: a company is declared (SIRET checked by the API), possibly as the subcontractor of a prime. */
export function NewContractorPage() {
  const { t } = useI18n();
  const form = useForm();
  const primes = useLoad(() => listAll((cursor) => api.GET('/v1/contractors', { params: { query: { cursor } } })), []);
  return (
    <>
      <PageTitle>{t('contractors.new')}</PageTitle>
      <form className="card narrow" noValidate onSubmit={form.onSubmit(async (values) => {
        const created = await ok(api.POST('/v1/contractors', { body: formBody(values) }));
        navigate(`/contractors/${created.id}`);
      })}>
        <FormStatus form={form} />
        <Field form={form} name="legalName" label={t('field.legalName')} required autoFocus />
        <Field form={form} name="siret" label={t('field.siret')} required inputMode="numeric" hint={t('field.siretHint')} />
        <Field form={form} name="address" label={t('field.address')} required />
        <Select form={form} name="primeContractorId" label={t('field.prime')} placeholder={t('field.primeNone')} hint={t('field.primeHint')}
          options={(primes.data ?? []).filter((c) => !c.primeContractorId).map((c) => ({ value: c.id, label: c.legalName }))} />
        <Submit form={form}>{t('contractors.create')}</Submit>
      </form>
    </>
  );
}
