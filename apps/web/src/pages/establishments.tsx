import { useState } from 'react';
import { api, Establishment, ok } from '../api';
import { ConfirmAction } from '../confirm';
import { Field, formBody, FormStatus, Select, Submit, useForm } from '../forms';
import { useI18n } from '../i18n';
import type { MessageKey } from '../messages';
import { PagedTable } from '../table';
import { Badge, PageTitle, personTone, Section, usePaged } from '../ui';

/** The policy presets of POST /v1/tenants (R-POL), each named after the charter it seeds from. */
const PRESETS = ['chm', 'cpam13', 'cpts-provence-sante', 'cpts-template'] as const;

/**
 * The platform operator's screen (R-POL): the establishments it runs, a new one with its first DSI, and
 * for one establishment its DSIs, whose second factor the operator resets when a DSI has nobody else to
 * ask (R-ART28): everyone else is reset by a DSI of their own establishment.
 */
export function EstablishmentsPage() {
  const { t, date } = useI18n();
  const establishments = usePaged((cursor, limit) => api.GET('/v1/tenants', { params: { query: { cursor, limit } } }), []);
  const [chosen, setChosen] = useState<Establishment | null>(null);
  return (
    <>
      <PageTitle>{t('establishments.title')}</PageTitle>
      <Section id="list" title={t('establishments.list')}>
        <PagedTable paged={establishments} empty={t('establishments.none')} current={(e) => chosen?.id === e.id} columns={[
          { header: t('establishments.name'), rowHeader: true, cell: (e) => e.name },
          { header: t('establishments.preset'), cell: (e) => t(`preset.${e.preset}` as MessageKey) },
          { header: t('establishments.createdAt'), cell: (e) => date(e.createdAt) },
          { header: t('establishments.activeDsis'),
            cell: (e) => e.activeDsis === 0 ? <Badge tone="warn">{t('establishments.noActiveDsi')}</Badge> : e.activeDsis },
          { header: t('establishments.contractors'), cell: (e) => e.contractors },
          { header: t('field.actions'),
            cell: (e) => <button type="button" aria-pressed={chosen?.id === e.id} onClick={() => setChosen(e)}>{t('establishments.showDsis')}</button> },
        ]} />
      </Section>
      {chosen && <DsisSection key={chosen.id} establishment={chosen} onChange={establishments.reload} />}
      <Section id="create" title={t('establishments.create')}>
        <CreateEstablishmentForm onDone={establishments.reload} />
      </Section>
    </>
  );
}

function CreateEstablishmentForm({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const form = useForm();
  return (
    <form noValidate onSubmit={form.onSend(
      (values) => ok(api.POST('/v1/tenants', { body: formBody(values) })), onDone, t('establishments.created'),
    )}>
      <p className="muted">{t('establishments.createHelp')}</p>
      <FormStatus form={form} />
      <div className="grid2">
        <Field form={form} name="name" label={t('establishments.name')} required />
        <Select form={form} name="preset" label={t('establishments.preset')} required placeholder=""
          options={PRESETS.map((p) => ({ value: p, label: t(`preset.${p}` as MessageKey) }))} hint={t('establishments.presetHint')} />
      </div>
      <fieldset>
        <legend>{t('establishments.firstDsi')}</legend>
        <div className="grid2">
          <Field form={form} name="admin.firstName" label={t('field.firstName')} required />
          <Field form={form} name="admin.lastName" label={t('field.lastName')} required />
          <Field form={form} name="admin.email" label={t('field.email')} type="email" required />
        </div>
      </fieldset>
      <Submit form={form}>{t('establishments.submit')}</Submit>
    </form>
  );
}

/** The DSIs of one establishment, each with the reset of its second factor. */
function DsisSection({ establishment, onChange }: { establishment: Establishment; onChange: () => void }) {
  const { t } = useI18n();
  const dsis = usePaged((cursor, limit) => api.GET('/v1/tenants/{id}/dsis', { params: { path: { id: establishment.id }, query: { cursor, limit } } }), [establishment.id]);
  return (
    <Section id="dsis" title={t('establishments.dsisOf', { name: establishment.name })}>
      <p className="muted">{t('establishments.dsisHelp')}</p>
      <PagedTable paged={dsis} empty={t('establishments.noDsi')} columns={[
        { header: t('contacts.person'), rowHeader: true, cell: (d) => `${d.firstName} ${d.lastName}` },
        { header: t('field.email'), cell: (d) => d.email },
        { header: t('field.status'), cell: (d) => <Badge tone={personTone(d.status)}>{t(`ustatus.${d.status}` as MessageKey)}</Badge> },
        { header: t('account.mfa'),
          cell: (d) => d.mfaEnrolled ? <Badge tone="ok">{t('account.mfaOn')}</Badge> : <Badge tone="warn">{t('account.mfaOff')}</Badge> },
        { header: t('field.actions'), cell: (d) => (
          <ResetDsiMfa path={{ id: establishment.id, userId: d.id }} person={`${d.firstName} ${d.lastName}`}
            resettable={d.mfaEnrolled && d.status !== 'deactivated'} onDone={() => { dsis.reload(); onChange(); }} />
        ) },
      ]} />
    </Section>
  );
}

/**
 * R-ART28 the reset is confirmed with its consequence (it signs the DSI out everywhere at once) and asks for the
 * reason (kept in the establishment's audit trail and e-mailed); its outcome is announced.
 */
interface ResetDsiMfaProps {
  path: { id: string; userId: string };
  person: string;
  resettable: boolean;
  onDone: () => void;
}

function ResetDsiMfa({ path, person, resettable, onDone }: ResetDsiMfaProps) {
  const { t } = useI18n();
  if (!resettable) return null;
  return (
    <ConfirmAction tone="danger" label={t('people.resetMfa')} reason={t('field.reason')} consequence={t('establishments.confirmReset', { name: person })}
      confirmLabel={t('establishments.confirm')} success={t('establishments.mfaReset', { name: person })} onDone={onDone}
      act={(reason) => ok(api.POST('/v1/tenants/{id}/users/{userId}/mfa/reset', { params: { path }, body: { reason } }))}>
      <p className="muted">{t('establishments.reasonHint')}</p>
    </ConfirmAction>
  );
}
