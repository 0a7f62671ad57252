import { api, at, Contact, DocumentVersion, listAll, ok, Signature } from '../api';
import { ConfirmAction } from '../confirm';
import { Checkbox, Field, formBody, FormStatus, Select, Submit, TextArea, useForm } from '../forms';
import { useI18n } from '../i18n';
import type { MessageKey } from '../messages';
import { CONTRACTOR_MANAGERS, HOSPITAL, useSession } from '../session';
import { Badge, Disclosure, DownloadButton, Empty, Loading, PageTitle, ProblemBox, Section, todayIso, useLoad } from '../ui';
import { LoadedTable } from '../table';
import { AccountsSection } from './accounts';
import { GateSummary } from './contractors';
import { InterventionsTable } from './interventions';
import { SignaturesTable, SignDocumentForm } from './signatures';

/** Everything about one contractor, for the DSI (and, read-only where the API says so, the other hospital roles). */
export function ContractorPage({ id }: { id: string }) {
  const { t } = useI18n();
  const { has } = useSession();
  const contractor = useLoad(() => ok(api.GET('/v1/contractors/{id}', at(id))), [id]);
  const gate = useLoad(() => ok(api.GET('/v1/contractors/{id}/gate', at(id))), [id]);
  const contacts = useLoad(() => ok(api.GET('/v1/contractors/{id}/contacts', at(id))), [id]);
  const documents = useLoad(() => listAll((cursor) => api.GET('/v1/documents', { params: { query: { cursor } } })), []);
  const signatures = useLoad(() => listAll((cursor) => api.GET('/v1/contractors/{id}/signatures', { params: { path: { id }, query: { cursor } } })), [id]);
  const refresh = () => { gate.reload(); signatures.reload(); contacts.reload(); };

  if (contractor.problem) return <ProblemBox problem={contractor.problem} />;
  if (!contractor.data) return <Loading when />;
  const c = contractor.data;
  const legalRep = contacts.data?.find((p) => p.role === 'legal_rep');
  return (
    <>
      <PageTitle actions={has('dsi', 'rssi', 'auditor') && <DownloadButton path={`/v1/contractors/${id}/evidence`} label={t('contractor.evidence')} />}>{c.legalName}</PageTitle>
      <div className="card summary">
        <dl className="facts">
          <dt>{t('field.siret')}</dt><dd>{c.siret}</dd>
          <dt>{t('field.address')}</dt><dd>{c.address}</dd>
          {c.primeContractorId && <><dt>{t('field.prime')}</dt><dd>{c.primeContractorId}</dd></>}
        </dl>
        <div aria-live="polite">
          <h2 className="h3">{t('contractors.gate')}</h2>
          <GateSummary gate={gate.data} />
        </div>
      </div>
      <nav className="toc" aria-label={t('contractor.sections')}>
        {['contacts', 'prestations', 'signatures', 'accounts', 'interventions', 'referents', 'derogations', 'departures'].map((s) => (
          <a key={s} href={`#${s}`}>{t(`contractor.${s}` as MessageKey)}</a>
        ))}
      </nav>
      <Section id="contacts" title={t('contractor.contacts')}>
        <ContactsTable contacts={contacts.data ?? []} />
        {has('dsi', ...CONTRACTOR_MANAGERS) && contacts.data && <ContactsForm contractorId={id} current={contacts.data} onDone={refresh} />}
      </Section>
      <Section id="prestations" title={t('contractor.prestations')}>
        <Prestations contractorId={id} company={c.legalName} onChange={gate.reload} />
      </Section>
      <Section id="signatures" title={t('contractor.signatures')}>
        <ProblemBox problem={signatures.problem} />
        <SignaturesTable signatures={(signatures.data ?? []).filter((s) => !s.accountId)} documents={documents.data ?? []} company={c.legalName} onChange={refresh} />
        {has('dsi', 'legal_rep', 'security_contact', 'security_deputy') && (
          <Disclosure summary={t('sign.title')}>
            <SignDocumentForm key={legalRep?.email ?? ''} contractorId={id} documents={documents.data ?? []} legalRep={legalRep} onDone={refresh} />
          </Disclosure>
        )}
      </Section>
      <Section id="accounts" title={t('contractor.accounts')}>
        <ConventionSignatures signatures={(signatures.data ?? []).filter((s) => s.accountId)} documents={documents.data ?? []} company={c.legalName} onChange={refresh} />
        <AccountsSection contractorId={id} company={c.legalName} documents={documents.data ?? []} onChange={refresh} />
      </Section>
      <Section id="interventions" title={t('contractor.interventions')}>
        <InterventionsTable contractorId={id} />
      </Section>
      {has(...HOSPITAL, ...CONTRACTOR_MANAGERS) && <Section id="referents" title={t('contractor.referents')}><Referents contractorId={id} /></Section>}
      {has('dsi', 'rssi', 'auditor', 'referent', ...CONTRACTOR_MANAGERS) && <Section id="derogations" title={t('contractor.derogations')}><Derogations contractorId={id} company={c.legalName} /></Section>}
      {has(...HOSPITAL, ...CONTRACTOR_MANAGERS) && <Section id="departures" title={t('contractor.departures')}><DeparturesList contractorId={id} /></Section>}
    </>
  );
}

/** Access conventions waiting for the DSI, shown with the accounts they belong to. */
function ConventionSignatures({ signatures, documents, company, onChange }: { signatures: Signature[]; documents: DocumentVersion[]; company: string; onChange: () => void }) {
  const { t } = useI18n();
  const pending = signatures.filter((s) => s.status !== 'validated');
  if (!pending.length) return null;
  return (
    <div>
      <h3>{t('contractor.conventions')}</h3>
      <SignaturesTable signatures={pending} documents={documents} company={company} onChange={onChange} />
    </div>
  );
}

const CONTACT_ROLES = ['legalRepresentative', 'securityContact', 'securityDeputy', 'rssi'] as const;
const API_ROLE = { legalRepresentative: 'legal_rep', securityContact: 'security_contact', securityDeputy: 'security_deputy', rssi: 'rssi' } as const;

function ContactsTable({ contacts }: { contacts: Contact[] }) {
  const { t } = useI18n();
  if (!contacts.length) return <Empty>{t('contacts.none')}</Empty>;
  return (
    <table>
      <thead><tr><th scope="col">{t('contacts.role')}</th><th scope="col">{t('contacts.person')}</th><th scope="col">{t('field.email')}</th><th scope="col">{t('field.phone')}</th></tr></thead>
      <tbody>
        {contacts.map((p) => (
          <tr key={p.role}>
            <th scope="row">{t(`contact.${p.role}` as MessageKey)}</th>
            <td>{p.firstName} {p.lastName}{p.function && <span className="muted"> · {p.function}</span>}</td>
            <td>{p.email}</td>
            <td>{p.phone}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** R-ART3 (section 8 of the charter): legal representative, security contact and a distinct deputy; the company's RSSI if any. */
export function ContactsForm({ contractorId, current, onDone }: { contractorId: string; current: Contact[]; onDone: () => void }) {
  const { t } = useI18n();
  const form = useForm();
  const existing = (role: (typeof CONTACT_ROLES)[number]) => current.find((c) => c.role === API_ROLE[role]);
  return (
    <Disclosure summary={current.length ? t('contacts.update') : t('contacts.declare')} initiallyOpen={current.length === 0}>
      <form className="subform" noValidate onSubmit={form.onSubmit(async (values) => {
        await ok(api.PUT('/v1/contractors/{id}/contacts', { ...at(contractorId), body: formBody(values) }));
        onDone();
      }, { success: t('contacts.saved') })}>
        <p className="muted">{t('contacts.help')}</p>
        <FormStatus form={form} />
        {CONTACT_ROLES.map((role) => {
          const person = existing(role);
          const optional = role === 'rssi';
          return (
            <fieldset key={role} className="person">
              <legend>{t(`contact.${API_ROLE[role]}` as MessageKey)}{optional && <span className="muted"> ({t('field.optional')})</span>}</legend>
              <div className="grid2">
                <Field form={form} name={`${role}.firstName`} label={t('field.firstName')} required={!optional} defaultValue={person?.firstName} />
                <Field form={form} name={`${role}.lastName`} label={t('field.lastName')} required={!optional} defaultValue={person?.lastName} />
                <Field form={form} name={`${role}.email`} label={t('field.email')} type="email" required={!optional} defaultValue={person?.email} />
                <Field form={form} name={`${role}.phone`} label={t('field.phone')} type="tel" required={!optional} defaultValue={person?.phone} />
                {role === 'legalRepresentative' && <Field form={form} name={`${role}.function`} label={t('field.function')} defaultValue={person?.function ?? ''} />}
              </div>
            </fieldset>
          );
        })}
        <Submit form={form}>{t('contacts.submit')}</Submit>
      </form>
    </Disclosure>
  );
}

function Prestations({ contractorId, company, onChange }: { contractorId: string; company: string; onChange: () => void }) {
  const { t, date } = useI18n();
  const { has } = useSession();
  const prestations = useLoad(() => listAll((cursor) => api.GET('/v1/contractors/{id}/prestations', { params: { path: { id: contractorId }, query: { cursor } } })), [contractorId]);
  const changed = () => { prestations.reload(); onChange(); };
  const none = prestations.data?.length === 0;
  return (
    <>
      <LoadedTable loaded={prestations} empty={t('prestations.none')} columns={[
        { header: t('field.title'), cell: (p) => <>{p.title}{p.rgpdSubcontractor && <span className="muted"> · {t('prestations.rgpd')}</span>}</> },
        { header: t('field.accessMode'), cell: (p) => t(`mode.${p.accessMode}` as MessageKey) },
        { header: t('prestations.period'), cell: (p) => `${date(p.startsOn)} → ${p.endedAt ? date(p.endedAt) : date(p.endsOn)}` },
        { header: t('prestations.attestation'), cell: (p) => p.attestation === 'not_due' ? '—'
          : <Badge tone={p.attestation === 'received' ? 'ok' : 'bad'}>{t(`attestation.${p.attestation}` as MessageKey)}</Badge> },
        { header: t('field.actions'), cell: (p) => has('dsi') && !p.endedAt && (
          <ConfirmAction tone="danger" label={t('prestations.end')} reason={t('field.reason')} consequence={t('act.prestation.end', { title: p.title, company })}
            success={t('act.prestation.ended', { title: p.title })} onDone={changed}
            act={(reason) => ok(api.POST('/v1/prestations/{id}/end', { ...at(p.id), body: { reason } }))} />
        ) },
      ]} />
      {has('dsi') && prestations.data && (
        <Disclosure summary={t('prestations.new')} initiallyOpen={none}>
          <PrestationForm contractorId={contractorId} onDone={changed} />
        </Disclosure>
      )}
    </>
  );
}

/** R-ART2: what the prestation is decides which documents the gate requires. */
function PrestationForm({ contractorId, onDone }: { contractorId: string; onDone: () => void }) {
  const { t } = useI18n();
  const form = useForm();
  return (
    <form className="subform" noValidate onSubmit={form.onSend(
      (values) => ok(api.POST('/v1/contractors/{id}/prestations', { ...at(contractorId), body: formBody(values) })),
      onDone, t('prestations.created'),
    )}>
      <FormStatus form={form} />
      <div className="grid2">
        <Field form={form} name="title" label={t('field.title')} required />
        <Select form={form} name="accessMode" label={t('field.accessMode')} required options={['remote', 'onsite', 'saas'].map((m) => ({ value: m, label: t(`mode.${m}` as MessageKey) }))} />
        <Field form={form} name="startsOn" label={t('field.startsOn')} type="date" required defaultValue={todayIso()} />
        <Field form={form} name="endsOn" label={t('field.endsOn')} type="date" />
      </div>
      <Checkbox form={form} name="rgpdSubcontractor" label={t('prestations.rgpdAsk')} />
      <Checkbox form={form} name="requireRgpdClauses" label={t('prestations.requireRgpd')} />
      <Checkbox form={form} name="requireSecurityReferential" label={t('prestations.requireReferential')} />
      <Submit form={form}>{t('prestations.submit')}</Submit>
    </form>
  );
}

/** R-ART36: the hospital people who accompany the contractor and approve its windows. */
function Referents({ contractorId }: { contractorId: string }) {
  const { t } = useI18n();
  const { has } = useSession();
  const referents = useLoad(() => ok(api.GET('/v1/contractors/{id}/referents', at(contractorId))), [contractorId]);
  const people = useLoad(() => (has('dsi') ? listAll((cursor) => api.GET('/v1/users', { params: { query: { cursor } } })) : Promise.resolve([])), [contractorId]);
  const form = useForm();
  const candidates = (people.data ?? []).filter((p) => p.roles.some((r) => r === 'referent' || r === 'dsi') && p.status !== 'deactivated');
  const chosen = new Set((referents.data ?? []).map((r) => r.userId));
  return (
    <>
      <ProblemBox problem={referents.problem} />
      {referents.data && (referents.data.length
        ? <ul className="plain">{referents.data.map((r) => <li key={r.userId}>{r.email}</li>)}</ul>
        : <Empty>{t('referents.none')}</Empty>)}
      {has('dsi') && candidates.length > 0 && (
        <form className="subform" onSubmit={(e) => {
          e.preventDefault();
          const userIds = Array.from(e.currentTarget.querySelectorAll<HTMLInputElement>('input[name=userIds]:checked')).map((i) => i.value);
          void form.run(() => ok(api.PUT('/v1/contractors/{id}/referents', { ...at(contractorId), body: { userIds } })), t('referents.saved')).then((ok) => ok && referents.reload());
        }}>
          <fieldset aria-describedby="referents-hint">
            <legend>{t('referents.designate')}</legend>
            <p id="referents-hint" className="hint">{t('referents.hint')}</p>
            {candidates.map((p) => (
              <label key={p.id} className="check"><input type="checkbox" name="userIds" value={p.id} defaultChecked={chosen.has(p.id)} /> {p.firstName} {p.lastName} <span className="muted">{p.email}</span></label>
            ))}
          </fieldset>
          <FormStatus form={form} />
          <Submit form={form}>{t('referents.submit')}</Submit>
        </form>
      )}
    </>
  );
}

/** R-ART16-27: written derogations of the DSI (equipment, remote-control tool, shared account, log deletion). */
function Derogations({ contractorId, company }: { contractorId: string; company: string }) {
  const { t, dateTime } = useI18n();
  const { has } = useSession();
  const derogations = useLoad(() => listAll((cursor) => api.GET('/v1/derogations', { params: { query: { contractorId, cursor } } })), [contractorId]);
  return (
    <>
      <LoadedTable loaded={derogations} empty={t('derogations.none')} columns={[
        { header: t('field.kind'), cell: (d) => t(`derogation.${d.kind}` as MessageKey) },
        { header: t('field.scope'), cell: (d) => <>{d.scope}<br /><span className="muted">{d.justification}</span></> },
        { header: t('derogations.validity'), cell: (d) => `${dateTime(d.validFrom)} → ${dateTime(d.validUntil)}` },
        { header: t('field.status'), cell: (d) => (
          <Badge tone={d.inForce ? 'ok' : 'neutral'}>{d.revokedAt ? t('derogations.revoked') : d.inForce ? t('derogations.inForce') : t('derogations.notInForce')}</Badge>
        ) },
        { header: t('field.actions'), cell: (d) => has('dsi') && !d.revokedAt && (
          <ConfirmAction tone="danger" label={t('action.revoke')} reason={t('field.reason')} consequence={t('act.derogation.revoke', { scope: d.scope, company })}
            success={t('act.derogation.revoked', { scope: d.scope })} onDone={derogations.reload}
            act={(reason) => ok(api.POST('/v1/derogations/{id}/revoke', { ...at(d.id), body: { reason } }))} />
        ) },
      ]} />
      {has('dsi') && <DerogationForm contractorId={contractorId} onDone={derogations.reload} />}
    </>
  );
}

function DerogationForm({ contractorId, onDone }: { contractorId: string; onDone: () => void }) {
  const { t } = useI18n();
  const form = useForm();
  return (
    <Disclosure summary={t('derogations.new')}>
      <form className="subform" noValidate onSubmit={form.onSend(
        (values) => ok(api.POST('/v1/derogations', { body: formBody({ ...values, contractorId }) })), onDone, t('derogations.created'),
      )}>
        <FormStatus form={form} />
        <Select form={form} name="kind" label={t('field.kind')} required options={['equipment', 'remote_control_tool', 'shared_account', 'log_deletion'].map((k) => ({ value: k, label: t(`derogation.${k}` as MessageKey) }))} />
        <TextArea form={form} name="scope" label={t('field.scope')} required />
        <TextArea form={form} name="justification" label={t('field.justification')} required />
        <div className="grid2">
          <Field form={form} name="validFrom" label={t('field.validFrom')} type="datetime-local" data-kind="datetime" required />
          <Field form={form} name="validUntil" label={t('field.validUntil')} type="datetime-local" data-kind="datetime" required />
        </div>
        <Submit form={form}>{t('derogations.submit')}</Submit>
      </form>
    </Disclosure>
  );
}

function DeparturesList({ contractorId }: { contractorId: string }) {
  const { t, date } = useI18n();
  const departures = useLoad(() => listAll((cursor) => api.GET('/v1/contractors/{id}/departures', { params: { path: { id: contractorId }, query: { cursor } } })), [contractorId]);
  return (
    <LoadedTable loaded={departures} empty={t('departures.none')} columns={[
      { header: t('contacts.person'), cell: (d) => `${d.firstName} ${d.lastName}` },
      { header: t('field.effectiveOn'), cell: (d) => date(d.effectiveOn) },
      { header: t('field.status'), cell: (d) => (
        <Badge tone={d.appliedAt ? 'neutral' : 'warn'}>{d.appliedAt ? t('departures.applied') : t('departures.scheduled')}</Badge>
      ) },
    ]} />
  );
}
