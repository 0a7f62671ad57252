import { api, at, listAll, ok, okAs, Readiness } from '../api';
import { useCodeLabel, useI18n } from '../i18n';
import { Link } from '../router';
import { useSession } from '../session';
import { Badge, Loading, PageTitle, ProblemBox, useLoad } from '../ui';
import { AccountsSection } from './accounts';
import { ContactsForm } from './contractor';
import { accountsStep, StepState } from './onboarding-steps';
import { SignaturesTable, SignDocumentForm } from './signatures';

function Step({ n, title, state, children }: { n: number; title: string; state: StepState; children?: React.ReactNode }) {
  const { t } = useI18n();
  const tone = state === 'done' ? 'ok' : state === 'waiting' ? 'info' : 'warn';
  return (
    <li className={`step step-${state}`}>
      <div className="step-head">
        <span className="step-n" aria-hidden="true">{n}</span>
        <h2>{title}</h2>
        <Badge tone={tone}>{t(`step.${state}`)}</Badge>
      </div>
      {state !== 'done' && children}
      {state === 'done' && children && <details><summary>{t('step.details')}</summary>{children}</details>}
    </li>
  );
}

/**
 * The contractor's checklist, driven by its gate (R-ART2, R-ART3): declare the contacts, have the
 * legal representative sign the charter (and the documents the prestation requires), request the
 * nominative accounts and have each person sign the access convention. The home page puts its tasks above (children).
 */
export function OnboardingPage({ children }: { children?: React.ReactNode }) {
  const { t } = useI18n();
  const label = useCodeLabel();
  const { me } = useSession();
  const id = me?.contractorId ?? '';
  const contractor = useLoad(() => ok(api.GET('/v1/contractors/{id}', at(id))), [id]);
  const gate = useLoad(() => ok(api.GET('/v1/contractors/{id}/gate', at(id))), [id]);
  const contacts = useLoad(() => ok(api.GET('/v1/contractors/{id}/contacts', at(id))), [id]);
  const documents = useLoad(() => listAll((cursor) => api.GET('/v1/documents', { params: { query: { cursor } } })), []);
  const signatures = useLoad(() => listAll((cursor) => api.GET('/v1/contractors/{id}/signatures', { params: { path: { id }, query: { cursor } } })), [id]);
  const reviews = useLoad(() => listAll((cursor) => api.GET('/v1/reviews', { params: { query: { cursor } } })), []);
  const accounts = useLoad(() => listAll((cursor) => api.GET('/v1/contractors/{id}/accounts', { params: { path: { id }, query: { cursor } } })), [id]);
  const readiness = useLoad(() => Promise.all((accounts.data ?? []).filter((a) => a.status === 'approved')
    .map((a) => okAs<Readiness>(api.GET('/v1/accounts/{id}/readiness', at(a.id))))), [accounts.data]);
  const refresh = () => { gate.reload(); contacts.reload(); signatures.reload(); accounts.reload(); };

  if (!id) return <ProblemBox problem={{ type: '', title: '', status: 0, code: 'NO_COMPANY', detail: t('onboarding.noCompany') }} />;
  if (gate.problem) return <ProblemBox problem={gate.problem} />;
  if (!gate.data || !contractor.data) return <Loading when />;
  const missing = gate.data.missing.map((m) => m.code);
  const docs = missing.filter((c) => /^(CHARTER|RGPD_CLAUSES|SECURITY_REFERENTIAL)_/.test(c));
  const waitingDsi = docs.length > 0 && docs.every((c) => c.endsWith('_PENDING_VALIDATION'));
  const openReviews = (reviews.data ?? []).filter((r) => r.status === 'open');
  const legalRep = contacts.data?.find((c) => c.role === 'legal_rep');
  return (
    <>
      <PageTitle>{t('onboarding.title', { name: contractor.data.legalName })}</PageTitle>
      <div className="card summary" aria-live="polite">
        {gate.data.open
          ? <p><Badge tone="ok">{t('gate.open')}</Badge> {t('onboarding.open')}</p>
          : <><p><Badge tone="bad">{t('gate.closed')}</Badge> {t('onboarding.closed')}</p>
            <ul className="missing">{gate.data.missing.map((m) => <li key={m.code}>{label(m.code, m.detail)}</li>)}</ul></>}
        {openReviews.map((r) => (
          <p key={r.id} className="alert alert-warn">
            <Link to={`/reviews/${r.id}`}>{t('onboarding.review', { due: r.dueOn, decided: r.itemsDecided, total: r.itemsTotal })}</Link>
          </p>
        ))}
      </div>
      {children}
      <ol className="steps">
        <Step n={1} title={t('onboarding.contacts')} state={missing.includes('CONTACTS_MISSING') ? 'todo' : 'done'}>
          {contacts.data && <ContactsForm contractorId={id} current={contacts.data} onDone={refresh} />}
        </Step>
        <Step n={2} title={t('onboarding.prestation')} state={missing.includes('NO_RUNNING_PRESTATION') ? 'waiting' : 'done'}>
          <p className="muted">{t('onboarding.prestationHelp')}</p>
        </Step>
        <Step n={3} title={t('onboarding.charter')} state={!docs.length ? 'done' : waitingDsi ? 'waiting' : 'todo'}>
          <SignaturesTable signatures={(signatures.data ?? []).filter((s) => !s.accountId)} documents={documents.data ?? []} company={contractor.data.legalName} onChange={refresh} />
          {!waitingDsi && contacts.data && documents.data && <SignDocumentForm contractorId={id} documents={documents.data} legalRep={legalRep} onDone={refresh} />}
        </Step>
        <Step n={4} title={t('onboarding.accounts')} state={accountsStep(gate.data.open, accounts.data ?? [], readiness.data ?? [])}>
          <p className="muted">{t('onboarding.accountsHelp')}</p>
          <AccountsSection contractorId={id} company={contractor.data.legalName} documents={documents.data ?? []} onChange={refresh} />
        </Step>
      </ol>
    </>
  );
}
