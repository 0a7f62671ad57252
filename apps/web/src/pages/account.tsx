import { useState } from 'react';
import { ConfirmAction } from '../confirm';
import { api, at, listAll, ok, Person } from '../api';
import { CheckboxGroup, Field, formBody, FormStatus, Select, Submit, useForm } from '../forms';
import { useI18n } from '../i18n';
import type { MessageKey } from '../messages';
import { useSession } from '../session';
import { passwordHint } from '../password-hint';
import { PagedTable } from '../table';
import { Badge, PageTitle, personTone, Section, useLoad, usePaged } from '../ui';

/** The signed-in person: who they are for the platform, and their password (R-POL policy; other sessions end). */
export function AccountPage() {
  const { t } = useI18n();
  const { me } = useSession();
  const form = useForm();
  const rules = useLoad(() => ok(api.GET('/v1/me/password-rules')), []);
  if (!me) return null;
  return (
    <>
      <PageTitle>{t('account.title')}</PageTitle>
      <div className="card summary">
        <dl className="facts">
          <dt>{t('contacts.person')}</dt><dd>{me.firstName} {me.lastName}</dd>
          <dt>{t('field.email')}</dt><dd>{me.email}</dd>
          <dt>{t('account.roles')}</dt><dd>{me.roles.map((r) => t(`role.${r}` as MessageKey)).join(', ')}</dd>
          <dt>{t('account.mfa')}</dt><dd>{me.mfaEnrolled ? <Badge tone="ok">{t('account.mfaOn')}</Badge> : <Badge tone="warn">{t('account.mfaOff')}</Badge>}</dd>
        </dl>
      </div>
      <Section id="password" title={t('account.password')}>
        <form className="narrow" noValidate onSubmit={form.onSubmit(async (values, element) => {
          if (values.newPassword !== values.confirm) throw new Error(t('invite.mismatch'));
          await ok(api.POST('/v1/auth/password', { body: formBody({ currentPassword: values.currentPassword, newPassword: values.newPassword }) }));
          element.reset();
        }, { success: t('account.passwordChanged') })}>
          <FormStatus form={form} />
          <Field form={form} name="currentPassword" label={t('account.current')} type="password" autoComplete="current-password" required />
          <Field form={form} name="newPassword" also={['password']} label={t('field.newPassword')} type="password" autoComplete="new-password" required
            hint={rules.data && passwordHint(rules.data, t)} />
          <Field form={form} name="confirm" label={t('field.confirmPassword')} type="password" autoComplete="new-password" required />
          <Submit form={form}>{t('account.change')}</Submit>
        </form>
      </Section>
    </>
  );
}

const HOSPITAL_ROLES = ['dsi', 'rssi', 'referent', 'auditor'];

/** The establishment's own people (DSI, RSSI, referents, auditors): the DSI invites them. */
export function PeoplePage() {
  const { t } = useI18n();
  const { has, me } = useSession();
  // Hospital staff and each contractor's people: a company column, and a filter the API applies (R-ART28).
  const [company, setCompany] = useState('');
  const people = usePaged((cursor, limit) => api.GET('/v1/users', { params: { query: { cursor, limit, company: company || undefined } } }), [company]);
  const companies = useLoad(() => listAll((cursor) => api.GET('/v1/contractors', { params: { query: { cursor } } })), []);
  const companyOf = (p: Person) => (p.contractorId ? companies.data?.find((c) => c.id === p.contractorId)?.legalName ?? '…' : t('people.staff'));
  const form = useForm();
  return (
    <>
      <PageTitle>{t('people.title')}</PageTitle>
      <Section id="list" title={t('people.list')}>
        <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
          <div className="field">
            <label htmlFor="company-filter">{t('people.company')}</label>
            <select id="company-filter" value={company} onChange={(e) => setCompany(e.target.value)}>
              <option value="">{t('filter.all')}</option>
              <option value="staff">{t('people.staff')}</option>
              {(companies.data ?? []).map((c) => <option key={c.id} value={c.id}>{c.legalName}</option>)}
            </select>
          </div>
        </form>
        <PagedTable paged={people} empty={t('people.none')} columns={[
          { header: t('contacts.person'), cell: (p) => `${p.firstName} ${p.lastName}` },
          { header: t('people.company'), cell: companyOf },
          { header: t('field.email'), cell: (p) => p.email },
          { header: t('account.roles'), cell: (p) => p.roles.map((r) => t(`role.${r}` as MessageKey)).join(', ') },
          { header: t('field.status'), cell: (p) => <Badge tone={personTone(p.status)}>{t(`ustatus.${p.status}` as MessageKey)}</Badge> },
          { header: t('field.actions'), hidden: !has('dsi'), cell: (p) => <PersonActions person={p} self={p.id === me?.id} onDone={people.reload} /> },
        ]} />
      </Section>
      {has('dsi') && (
        <Section id="invite" title={t('people.invite')}>
          <form noValidate onSubmit={form.onSend(
            (values) => ok(api.POST('/v1/users', { body: formBody(values) })), people.reload, t('people.invited'),
          )}>
            <p className="muted">{t('people.inviteHelp')}</p>
            <FormStatus form={form} />
            <div className="grid2">
              <Field form={form} name="firstName" label={t('field.firstName')} required />
              <Field form={form} name="lastName" label={t('field.lastName')} required />
              <Field form={form} name="email" label={t('field.email')} type="email" required />
              <Select form={form} name="locale" label={t('people.locale')} options={[{ value: 'fr', label: 'Français' }, { value: 'en', label: 'English' }]} />
            </div>
            <CheckboxGroup form={form} name="roles" legend={t('account.roles')} options={HOSPITAL_ROLES.map((r) => ({ value: r, label: t(`role.${r}` as MessageKey) }))} />
            <Submit form={form}>{t('people.submit')}</Submit>
          </form>
        </Section>
      )}
    </>
  );
}

/**
 * The DSI's help for a person who cannot sign in (R-ART28): a new invitation link (the earlier ones stop
 * working), or a reset of the second factor for a lost phone, with the reason the audit trail keeps; the
 * person enrols again at the next sign-in. Nobody resets their own.
 */
function PersonActions({ person, self, onDone }: { person: Person; self: boolean; onDone: () => void }) {
  const { t } = useI18n();
  const form = useForm();
  return (
    <>
      {person.status === 'invited' && (
        <button type="button" disabled={form.busy}
          onClick={() => void form.run(() => ok(api.POST('/v1/users/{id}/invitation/resend', at(person.id))), t('people.invitationResent'))}>{t('people.resendInvitation')}</button>
      )}
      {person.status === 'active' && person.mfaEnrolled && !self && (
        <ConfirmAction tone="danger" label={t('people.resetMfa')} reason={t('field.reason')} success={t('people.mfaReset')}
          consequence={t('act.mfa.reset', { name: `${person.firstName} ${person.lastName}` })}
          act={(reason) => ok(api.POST('/v1/users/{id}/mfa/reset', { ...at(person.id), body: { reason } }))} onDone={onDone} />
      )}
      <FormStatus form={form} />
    </>
  );
}
