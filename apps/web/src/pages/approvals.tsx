import { ApproveReject } from '../actions';
import { listAll } from '../api';
import { useI18n } from '../i18n';
import type { MessageKey } from '../messages';
import { Link } from '../router';
import type { Account, Contractor, DocumentVersion, Habilitation, Intervention, Resource, Signature } from '../types';
import { Badge, Empty, Loading, PageTitle, ProblemBox, Section, useLoad } from '../ui';
import { InterventionsTable } from './interventions';
import { SignaturesTable } from './signatures';

interface Queue {
  contractors: Contractor[];
  signatures: Signature[];
  accounts: Account[];
  habilitations: (Habilitation & { account: Account })[];
  interventions: Intervention[];
  documents: DocumentVersion[];
  resources: Resource[];
}

/** Runs `work` over `items`, `width` at a time (the queue reads each contractor; a burst would hit the rate limit). */
async function each<T, R>(items: T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  }));
  return results;
}

/**
 * Everything waiting for the DSI, across contractors: signed documents and conventions to validate,
 * accounts and habilitations to approve, windows to approve and emergencies to confirm. The API has
 * no single "queue" route: the console reads each contractor's lists (public routes only).
 */
async function loadQueue(): Promise<Queue> {
  const [contractors, interventions, documents, resources] = await Promise.all([
    listAll<Contractor>('/v1/contractors'), listAll<Intervention>('/v1/interventions'), listAll<DocumentVersion>('/v1/documents'), listAll<Resource>('/v1/resources'),
  ]);
  const perContractor = await each(contractors, 4, async (c) => {
    const [signatures, accounts] = await Promise.all([listAll<Signature>(`/v1/contractors/${c.id}/signatures`), listAll<Account>(`/v1/contractors/${c.id}/accounts`)]);
    const living = accounts.filter((a) => ['requested', 'approved', 'active'].includes(a.status));
    const habilitations = (await each(living, 4, async (a) => (await listAll<Habilitation>(`/v1/accounts/${a.id}/habilitations`)).map((h) => ({ ...h, account: a })))).flat();
    return { signatures: signatures.filter((s) => s.status === 'submitted'), accounts: accounts.filter((a) => a.status === 'requested'), habilitations: habilitations.filter((h) => h.status === 'requested') };
  });
  return {
    contractors, documents, resources,
    signatures: perContractor.flatMap((p) => p.signatures),
    accounts: perContractor.flatMap((p) => p.accounts),
    habilitations: perContractor.flatMap((p) => p.habilitations),
    interventions: interventions.filter((i) => i.status === 'requested' || i.emergencyReview === 'pending'),
  };
}

export function ApprovalsPage() {
  const { t } = useI18n();
  const queue = useLoad(loadQueue, []);
  const q = queue.data;
  const name = (id: string) => q?.contractors.find((c) => c.id === id)?.legalName ?? id;
  const total = q ? q.signatures.length + q.accounts.length + q.habilitations.length + q.interventions.length : 0;
  return (
    <>
      <PageTitle actions={<button type="button" onClick={queue.reload} disabled={queue.loading}>{t('action.refresh')}</button>}>{t('approvals.title')}</PageTitle>
      <ProblemBox problem={queue.problem} />
      <Loading when={queue.loading && !q} />
      {q && total === 0 && <div className="card"><Empty>{t('approvals.none')}</Empty></div>}
      {q && q.signatures.length > 0 && (
        <Section id="q-signatures" title={t('approvals.signatures', { count: q.signatures.length })}>
          {[...new Set(q.signatures.map((s) => s.contractorId))].map((cid) => (
            <div key={cid}>
              <h3><Link to={`/contractors/${cid}`}>{name(cid)}</Link></h3>
              <SignaturesTable signatures={q.signatures.filter((s) => s.contractorId === cid)} documents={q.documents} onChange={queue.reload} />
            </div>
          ))}
        </Section>
      )}
      {q && q.accounts.length > 0 && (
        <Section id="q-accounts" title={t('approvals.accounts', { count: q.accounts.length })}>
          <table>
            <thead><tr><th scope="col">{t('field.contractor')}</th><th scope="col">{t('contacts.person')}</th><th scope="col"><span className="sr-only">{t('field.actions')}</span></th></tr></thead>
            <tbody>{q.accounts.map((a) => <AccountApproval key={a.id} account={a} contractor={name(a.contractorId)} onDone={queue.reload} />)}</tbody>
          </table>
        </Section>
      )}
      {q && q.habilitations.length > 0 && (
        <Section id="q-habilitations" title={t('approvals.habilitations', { count: q.habilitations.length })}>
          <table>
            <thead><tr><th scope="col">{t('field.contractor')}</th><th scope="col">{t('contacts.person')}</th><th scope="col">{t('field.resource')}</th><th scope="col">{t('field.level')}</th><th scope="col"><span className="sr-only">{t('field.actions')}</span></th></tr></thead>
            <tbody>{q.habilitations.map((h) => <HabilitationApproval key={h.id} habilitation={h} contractor={name(h.account.contractorId)} resource={q.resources.find((r) => r.id === h.resourceId)?.name ?? h.resourceId} onDone={queue.reload} />)}</tbody>
          </table>
        </Section>
      )}
      {q && q.interventions.length > 0 && (
        <Section id="q-interventions" title={t('approvals.interventions', { count: q.interventions.length })}>
          <InterventionsTable items={q.interventions} onChange={queue.reload} />
        </Section>
      )}
    </>
  );
}

function AccountApproval({ account: a, contractor, onDone }: { account: Account; contractor: string; onDone: () => void }) {
  const { t } = useI18n();
  return (
    <tr>
      <td><Link to={`/contractors/${a.contractorId}#accounts`}>{contractor}</Link></td>
      <td>{a.firstName} {a.lastName} <span className="muted">{a.email}</span>{a.shared && <> <Badge tone="warn">{t('accounts.shared')}</Badge></>}</td>
      <td>
        <ApproveReject path={`/v1/accounts/${a.id}`} onDone={onDone} />
      </td>
    </tr>
  );
}

function HabilitationApproval({ habilitation: h, contractor, resource, onDone }: { habilitation: Habilitation & { account: Account }; contractor: string; resource: string; onDone: () => void }) {
  const { t } = useI18n();
  return (
    <tr>
      <td>{contractor}</td>
      <td>{h.account.firstName} {h.account.lastName}</td>
      <td>{resource} <span className="muted">({t(`access.${h.accessType}` as MessageKey)})</span></td>
      <td>{t(`level.${h.level}` as MessageKey)}</td>
      <td>
        <ApproveReject path={`/v1/habilitations/${h.id}`} onDone={onDone} />
      </td>
    </tr>
  );
}
