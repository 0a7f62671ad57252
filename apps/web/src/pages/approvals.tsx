import { ApproveReject } from '../actions';
import { Account, api, Contractor, DocumentVersion, Habilitation, Intervention, listAll, Resource, Signature } from '../api';
import { useI18n } from '../i18n';
import type { MessageKey } from '../messages';
import { Link } from '../router';
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

/** Every list read whole, 200 items a request (the most a page holds). */
const PAGE = { limit: 200 };
const LIVING = ['requested', 'approved', 'active'];

/** The accounts of these ids, 100 ids a request (a URL stays well under the usual 8 KiB). */
async function accountsById(ids: string[]): Promise<Map<string, Account>> {
  const unique = [...new Set(ids)];
  const chunks = Array.from({ length: Math.ceil(unique.length / 100) }, (_, i) => unique.slice(i * 100, i * 100 + 100));
  const pages = await Promise.all(chunks.map((id) => listAll((cursor) => api.GET('/v1/accounts', { params: { query: { id, limit: 100, cursor } } }))));
  return new Map(pages.flat().map((a) => [a.id, a]));
}

/**
 * Everything waiting for the DSI across contractors (documents, accounts, habilitations, windows, emergencies), each from
 * a tenant-wide list filtered on the server, every page followed: a handful of requests (R-ART2, R-ART28, R-ART31, R-ART36).
 */
async function loadQueue(): Promise<Queue> {
  const [contractors, documents, resources, signatures, accounts, habilitations, windows, emergencies] = await Promise.all([
    listAll((cursor) => api.GET('/v1/contractors', { params: { query: { ...PAGE, cursor } } })),
    listAll((cursor) => api.GET('/v1/documents', { params: { query: { ...PAGE, cursor } } })),
    listAll((cursor) => api.GET('/v1/resources', { params: { query: { ...PAGE, cursor } } })),
    listAll((cursor) => api.GET('/v1/signatures', { params: { query: { ...PAGE, status: 'submitted', cursor } } })),
    listAll((cursor) => api.GET('/v1/accounts', { params: { query: { ...PAGE, status: 'requested', order: 'oldest', cursor } } })),
    listAll((cursor) => api.GET('/v1/habilitations', { params: { query: { ...PAGE, status: 'requested', cursor } } })),
    listAll((cursor) => api.GET('/v1/interventions', { params: { query: { ...PAGE, status: 'requested', cursor } } })),
    listAll((cursor) => api.GET('/v1/interventions', { params: { query: { ...PAGE, emergencyReview: 'pending', cursor } } })),
  ]);
  const holders = await accountsById(habilitations.map((h) => h.accountId));
  const interventions = [...windows, ...emergencies.filter((e) => !windows.some((w) => w.id === e.id))]
    .sort((a, b) => (a.startsAt === b.startsAt ? (a.id < b.id ? 1 : -1) : a.startsAt < b.startsAt ? 1 : -1));
  return {
    contractors, documents, resources, signatures, accounts, interventions,
    // As the queue always showed: the habilitations of requested, approved or active accounts.
    habilitations: habilitations.flatMap((h) => {
      const account = holders.get(h.accountId);
      return account && LIVING.includes(account.status) ? [{ ...h, account }] : [];
    }),
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
              <SignaturesTable signatures={q.signatures.filter((s) => s.contractorId === cid)} documents={q.documents} company={name(cid)} onChange={queue.reload} />
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
        <ApproveReject kind="account" id={a.id} subject={{ name: `${a.firstName} ${a.lastName}`, company: contractor }} onDone={onDone} />
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
        <ApproveReject kind="habilitation" id={h.id} onDone={onDone}
          subject={{ name: `${h.account.firstName} ${h.account.lastName}`, company: contractor, resource, level: t(`level.${h.level}` as MessageKey) }} />
      </td>
    </tr>
  );
}
