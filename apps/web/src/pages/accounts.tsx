import { useState } from 'react';
import { ApproveReject } from '../actions';
import { Account, api, at, DocumentVersion, Habilitation, listAll, multipart, ok, okAs, Readiness, Resource } from '../api';
import { Checkbox, Field, formBody, FormState, FormStatus, formData, Select, Submit, useForm } from '../forms';
import { useCodeLabel, useI18n } from '../i18n';
import type { MessageKey } from '../messages';
import { CONTRACTOR_MANAGERS, useSession } from '../session';
import { ConfirmAction } from '../confirm';
import { DataTable } from '../table';
import { Badge, Disclosure, Empty, Loading, ProblemBox, useLoad } from '../ui';
import { currentDocuments, DocumentLinks, documentLabel, SignerFields } from './signatures';
import { DirectoryState } from './directory';

export const ACCOUNT_TONE = { requested: 'warn', approved: 'info', active: 'ok', suspended: 'bad', deactivated: 'neutral', rejected: 'neutral' } as const;

/** R-ART28/R-ART31: the contractor's nominative accounts, their conventions and their declared scope. */
export function AccountsSection({ contractorId, company, documents, onChange }: { contractorId: string; company: string; documents: DocumentVersion[]; onChange?: () => void }) {
  const { t } = useI18n();
  const { has } = useSession();
  const accounts = useLoad(() => listAll((cursor) => api.GET('/v1/contractors/{id}/accounts', { params: { path: { id: contractorId }, query: { cursor } } })), [contractorId]);
  const resources = useLoad(() => listAll((cursor) => api.GET('/v1/resources', { params: { query: { cursor } } })), []);
  // Each change bumps the revision: what every account still needs is read again.
  const [revision, setRevision] = useState(0);
  const changed = () => { accounts.reload(); setRevision((r) => r + 1); onChange?.(); };
  const items = accounts.data ?? [];
  return (
    <>
      <ProblemBox problem={accounts.problem} />
      <Loading when={accounts.loading && !accounts.data} />
      {accounts.data && !items.length && <Empty>{t('accounts.none')}</Empty>}
      <ul className="accounts">
        {items.map((a) => (
          <li key={a.id} className="account">
            <AccountRow account={a} company={company} documents={documents} resources={resources.data ?? []} revision={revision} onChange={changed} />
          </li>
        ))}
      </ul>
      {has('dsi', ...CONTRACTOR_MANAGERS) && accounts.data && (
        <Disclosure summary={t('accounts.request')} initiallyOpen={!items.length}>
          <RequestAccountForm contractorId={contractorId} onDone={changed} />
        </Disclosure>
      )}
    </>
  );
}

function AccountRow({ account, company, documents, resources, revision, onChange }: {
  account: Account; company: string; documents: DocumentVersion[]; resources: Resource[]; revision: number; onChange: () => void;
}) {
  const { t } = useI18n();
  const { has } = useSession();
  const form = useForm();
  // R-ART28 the company asks, the DSI resets (POST /v1/users/{id}/mfa/reset-request): how many DSIs were told.
  const [requested, setRequested] = useState<number | null>(null);
  const subject = { name: `${account.firstName} ${account.lastName}`, company };
  const open = ['requested', 'approved', 'active', 'suspended'].includes(account.status);
  return (
    <>
      <div className="account-head">
        <div>
          <strong>{account.firstName} {account.lastName}</strong> <span className="muted">{account.email}</span>
          {account.shared && <> <Badge tone="warn">{t('accounts.shared')}</Badge></>}
        </div>
        <Badge tone={ACCOUNT_TONE[account.status]}>{t(`accstatus.${account.status}` as MessageKey)}</Badge>
        {has('dsi') && account.status === 'requested' && <ApproveReject kind="account" id={account.id} subject={subject} onDone={onChange} />}
        {has(...CONTRACTOR_MANAGERS) && account.userId && ['active', 'suspended'].includes(account.status) && (
          <ConfirmAction tone="danger" label={t('people.requestMfaReset')} reason={t('field.reason')} consequence={t('act.mfa.request', subject)}
            success={t('act.mfa.requested', subject)} onDone={form.clear}
            act={async (reason) => setRequested((await ok(api.POST('/v1/users/{id}/mfa/reset-request', { ...at(account.userId!), body: { reason } }))).notified)} />
        )}
        {has('dsi') && account.status === 'suspended' && (
          <ConfirmAction label={t('action.resume')} consequence={t('act.account.resume', subject)} success={t('act.account.resumed', subject)}
            act={() => ok(api.POST('/v1/accounts/{id}/resume', at(account.id)))} onDone={onChange} />
        )}
      </div>
      {account.suspensionReason && account.status === 'suspended' && <p className="muted">{t('accounts.suspendedFor', { reason: account.suspensionReason })}</p>}
      {account.deactivationReason && account.status === 'deactivated' && <p className="muted">{t('accounts.deactivatedFor', { reason: account.deactivationReason })}</p>}
      {requested !== null && !form.problem && <p className="alert alert-success" role="status">{t('people.mfaResetRequested', { count: requested })}</p>}
      <FormStatus form={form} />
      {open && (
        <details>
          <summary>{t('accounts.details')}</summary>
          <ReadinessList key={revision} accountId={account.id} />
          {has('dsi', 'rssi') && <DirectoryState key={`d${revision}`} accountId={account.id} />}
          {account.status !== 'active' && has('dsi', ...CONTRACTOR_MANAGERS) && <ConventionForm account={account} documents={documents} onDone={onChange} />}
          <Habilitations account={account} company={company} resources={resources} />
          {has('dsi') && account.status === 'active' && (
            <ConfirmAction tone="danger" label={t('action.suspend')} reason={t('field.reason')} consequence={t('act.account.suspend', subject)}
              success={t('act.account.suspended', subject)} act={(reason) => ok(api.POST('/v1/accounts/{id}/suspend', { ...at(account.id), body: { reason } }))}
              onDone={onChange} />
          )}
        </details>
      )}
    </>
  );
}

/** What still stands between the account and its activation (GET /v1/accounts/{id}/readiness). */
function ReadinessList({ accountId }: { accountId: string }) {
  const { t } = useI18n();
  const label = useCodeLabel();
  const readiness = useLoad(() => okAs<Readiness>(api.GET('/v1/accounts/{id}/readiness', at(accountId))), [accountId]);
  if (readiness.problem) return <ProblemBox problem={readiness.problem} />;
  if (!readiness.data) return <Loading when />;
  if (readiness.data.ready) return <p><Badge tone="ok">{t('readiness.ready')}</Badge></p>;
  return (
    <div>
      <h3 className="h4">{t('readiness.missing')}</h3>
      <ul className="missing">{readiness.data.missing.map((m) => <li key={m.code}>{label(m.code, m.detail)}</li>)}</ul>
    </div>
  );
}

/** R-ART2: the person's signed access convention (by the person; uploaded by the security contact or the DSI). */
function ConventionForm({ account, documents, onDone }: { account: Account; documents: DocumentVersion[]; onDone: () => void }) {
  const { t } = useI18n();
  const form = useForm();
  const convention = currentDocuments(documents).get('access_convention');
  if (!convention) return <p className="muted">{t('convention.none')}</p>;
  return (
    <form className="subform" noValidate onSubmit={form.onSubmit(async (_values, element) => {
      await ok(api.POST('/v1/accounts/{id}/convention', { ...at(account.id), body: multipart(formData(element)) }));
      element.reset();
      onDone();
    }, { success: t('sign.sent') })}>
      <h3 className="h4">{t('convention.title', { name: documentLabel(t, convention) })}</h3>
      <DocumentLinks documents={[convention]} />
      <input type="hidden" name="documentId" value={convention.id} />
      <FormStatus form={form} />
      <SignerFields form={form} firstName={account.firstName} lastName={account.lastName} />
      <Submit form={form}>{t('convention.submit')}</Submit>
    </form>
  );
}

/** R-ART31: the resources the account may reach; requested by the contractor, approved by the DSI. */
function Habilitations({ account, company, resources }: { account: Account; company: string; resources: Resource[] }) {
  const { t, date } = useI18n();
  const { has } = useSession();
  const habilitations = useLoad(() => listAll((cursor) => api.GET('/v1/accounts/{id}/habilitations', { params: { path: { id: account.id }, query: { cursor } } })), [account.id]);
  const name = (id: string) => resources.find((r) => r.id === id)?.name ?? id;
  const subject = (h: Habilitation) => ({
    name: `${account.firstName} ${account.lastName}`, company, resource: name(h.resourceId), level: t(`level.${h.level}` as MessageKey),
  });
  const items = habilitations.data ?? [];
  return (
    <div>
      <h3 className="h4">{t('habilitations.title')}</h3>
      <ProblemBox problem={habilitations.problem} />
      {habilitations.data && !items.length && <Empty>{t('habilitations.none')}</Empty>}
      {items.length > 0 && (
        <DataTable rows={items} label={t('habilitations.title')} columns={[
          { header: t('field.resource'), cell: (h) => name(h.resourceId), rowHeader: true },
          { header: t('field.accessType'), cell: (h) => t(`access.${h.accessType}` as MessageKey) },
          { header: t('field.level'), cell: (h) => t(`level.${h.level}` as MessageKey) },
          { header: t('field.endsOn'), cell: (h) => date(h.endsOn) },
          { header: t('field.status'), cell: (h) => <Badge tone={h.inForce ? 'ok' : h.status === 'requested' ? 'warn' : 'neutral'}>{t(`habstatus.${h.status}` as MessageKey)}</Badge> },
          { header: t('field.actions'), hidden: !has('dsi'), cell: (h) => (
            <>
              {h.status === 'requested' && <ApproveReject kind="habilitation" id={h.id} subject={subject(h)} onDone={habilitations.reload} />}
              {h.status === 'approved' && (
                <ConfirmAction tone="danger" label={t('action.revoke')} reason={t('field.reason')} consequence={t('act.habilitation.revoke', subject(h))}
                  success={t('act.habilitation.revoked', subject(h))} onDone={habilitations.reload}
                  act={(reason) => ok(api.POST('/v1/habilitations/{id}/revoke', { ...at(h.id), body: { reason } }))} />
              )}
            </>
          ) },
        ]} />
      )}
      {has('dsi', 'security_contact', 'security_deputy') && ['requested', 'approved', 'active'].includes(account.status) && (
        <HabilitationForm account={account} resources={resources} onDone={habilitations.reload} />
      )}
    </div>
  );
}

function HabilitationForm({ account, resources, onDone }: { account: Account; resources: Resource[]; onDone: () => void }) {
  const { t } = useI18n();
  const form = useForm();
  return (
    <form className="subform" noValidate onSubmit={form.onSend(
      (values) => ok(api.POST('/v1/accounts/{id}/habilitations', { ...at(account.id), body: formBody(values) })),
      onDone, t('habilitations.requested'),
    )}>
      <h3 className="h4">{t('habilitations.request')}</h3>
      <FormStatus form={form} />
      <div className="grid2">
        <Select form={form} name="resourceId" label={t('field.resource')} required placeholder="" options={resources.map((r) => ({ value: r.id, label: r.name }))} />
        <Select form={form} name="accessType" label={t('field.accessType')} required options={['remote', 'onsite'].map((v) => ({ value: v, label: t(`access.${v}` as MessageKey) }))} />
        <Select form={form} name="level" label={t('field.level')} required options={['read', 'operate', 'admin'].map((v) => ({ value: v, label: t(`level.${v}` as MessageKey) }))} />
        <Field form={form} name="endsOn" label={t('field.endsOn')} type="date" />
      </div>
      <Submit form={form}>{t('habilitations.submit')}</Submit>
    </form>
  );
}

/** R-ART28: one nominative account per person, requested by the security contact (or deputy), approved by the DSI. */
export function RequestAccountForm({ contractorId, onDone }: { contractorId: string; onDone: () => void }) {
  const { t } = useI18n();
  const form = useForm();
  return (
    <form className="subform" noValidate onSubmit={form.onSend(
      (values) => ok(api.POST('/v1/contractors/{id}/accounts', { ...at(contractorId), body: formBody(values) })),
      onDone, t('accounts.requested'),
    )}>
      <FormStatus form={form} />
      <PersonFields form={form} />
      <Checkbox form={form} name="shared" label={t('accounts.sharedAsk')} hint={t('accounts.sharedHint')} />
      <Submit form={form}>{t('accounts.submit')}</Submit>
    </form>
  );
}


/** The person of an account request (R-ART28: identity = company + first name + last name + e-mail). */
export function PersonFields({ form }: { form: FormState }) {
  const { t } = useI18n();
  return (
    <div className="grid2">
      <Field form={form} name="firstName" label={t('field.firstName')} required />
      <Field form={form} name="lastName" label={t('field.lastName')} required />
      <Field form={form} name="email" label={t('field.email')} type="email" required />
      <Field form={form} name="phone" label={t('field.phone')} type="tel" required />
    </div>
  );
}
