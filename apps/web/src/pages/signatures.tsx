import { useState } from 'react';
import { api, at, Contact, DocumentVersion, download, Downloaded, multipart, ok, Problem, saveFile, sha256Hex, Signature } from '../api';
import { ConfirmAction } from '../confirm';
import { asProblem, Checkbox, Field, FormState, FormStatus, formData, Select, Submit, useForm } from '../forms';
import { useI18n } from '../i18n';
import type { MessageKey } from '../messages';
import { useSession } from '../session';
import { DataTable } from '../table';
import { Badge, Empty, Progress, ProblemBox, todayIso } from '../ui';

export const SIGNATURE_TONE = { submitted: 'warn', validated: 'ok', rejected: 'bad' } as const;

/** The version of each kind in force today (the latest effective, not withdrawn). */
export function currentDocuments(documents: DocumentVersion[], today = todayIso()): Map<string, DocumentVersion> {
  const current = new Map<string, DocumentVersion>();
  for (const d of documents) {
    if (d.withdrawnAt || d.effectiveOn > today) continue;
    const known = current.get(d.kind);
    if (!known || d.effectiveOn >= known.effectiveOn) current.set(d.kind, d);
  }
  return current;
}

export function documentLabel(t: (key: MessageKey) => string, d: DocumentVersion | undefined): string {
  return d ? `${t(`kind.${d.kind}` as MessageKey)} ${d.versionLabel}` : '—';
}

/**
 * R-ART2: the signed file as uploaded, fetched with the person's token. Its SHA-256 is recomputed
 * here and compared with the one recorded at upload, so the DSI knows the copy read is the one signed.
 */
export function SignedFile({ signature, onOpened }: { signature: Pick<Signature, 'id' | 'sha256' | 'filename'>; onOpened?: () => void }) {
  const { t } = useI18n();
  const [file, setFile] = useState<(Downloaded & { url: string; matches: boolean }) | null>(null);
  const [progress, setProgress] = useState<{ received: number; total: number | null } | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const fetchFile = async () => {
    setProblem(null);
    try {
      const downloaded = await download(`/v1/signatures/${signature.id}/file`, (received, total) => setProgress({ received, total }));
      const matches = (await sha256Hex(downloaded.blob)) === signature.sha256;
      setFile({ ...downloaded, url: URL.createObjectURL(downloaded.blob), matches });
      onOpened?.();
    } catch (error) {
      setProblem(asProblem(error, t));
    } finally {
      setProgress(null);
    }
  };
  if (!file) {
    return (
      <div className="signed-file">
        <button type="button" onClick={() => void fetchFile()} disabled={progress !== null}>{t('signature.view')}</button>
        {progress && <Progress label={t('progress.downloading')} received={progress.received} total={progress.total} />}
        <ProblemBox problem={problem} />
      </div>
    );
  }
  return (
    <div className="signed-file">
      {file.matches
        ? <Badge tone="ok">{t('signature.hashOk')}</Badge>
        : <Badge tone="bad">{t('signature.hashBad')}</Badge>}
      <a href={file.url} target="_blank" rel="noopener">{t('signature.open', { name: file.filename })}</a>
      <button type="button" className="link" onClick={() => saveFile(file)}>{t('signature.save')}</button>
      <details><summary>SHA-256</summary><code className="hash" translate="no">{signature.sha256}</code></details>
    </div>
  );
}

/**
 * The DSI's decision on a submitted signature, each confirmed with what it means for the company: validate (R-ART2: once the
 * signed file was opened in this session; the API refuses it before a DSI fetched the file), or reject with a reason.
 */
export function SignatureDecision({ signature: s, document, company, opened, onDone }: {
  signature: Signature; document: string; company: string; opened: boolean; onDone: () => void;
}) {
  const { t } = useI18n();
  const subject = { document, company, signer: `${s.signerFirstName} ${s.signerLastName}` };
  return (
    <div className="row decision">
      <ConfirmAction label={t('act.signature.validate')} consequence={t('act.signature.validateWhat', subject)} disabled={!opened}
        hint={opened ? undefined : t('act.signature.openFirst')} success={t('act.signature.validated', subject)}
        act={() => ok(api.POST('/v1/signatures/{id}/validate', at(s.id)))} onDone={onDone} />
      <ConfirmAction tone="danger" label={t('act.signature.reject')} reason={t('field.rejectReason')} consequence={t('act.signature.rejectWhat', subject)}
        success={t('act.signature.rejected', subject)} act={(reason) => ok(api.POST('/v1/signatures/{id}/reject', { ...at(s.id), body: { reason } }))}
        onDone={onDone} />
    </div>
  );
}

export function SignaturesTable({ signatures, documents, company, onChange }: {
  signatures: Signature[]; documents: DocumentVersion[]; company: string; onChange: () => void;
}) {
  const { t, date } = useI18n();
  const { has } = useSession();
  const [opened, setOpened] = useState<ReadonlySet<string>>(new Set());
  if (!signatures.length) return <Empty>{t('signatures.none')}</Empty>;
  const byId = new Map(documents.map((d) => [d.id, d]));
  return (
    <DataTable rows={signatures} columns={[
      { header: t('signatures.document'), cell: (s) => documentLabel(t, byId.get(s.documentId)) },
      { header: t('signatures.signer'), cell: (s) => <>{s.signerFirstName} {s.signerLastName}<br /><span className="muted">{s.signerFunction}</span></> },
      { header: t('field.signedOn'), cell: (s) => <>{date(s.signedOn)}{s.allPagesInitialled && <><br /><span className="muted">{t('signatures.initialled')}</span></>}</> },
      { header: t('field.status'), cell: (s) => (
        <><Badge tone={SIGNATURE_TONE[s.status]}>{t(`sigstatus.${s.status}` as MessageKey)}</Badge>{s.rejectReason && <p className="muted">{s.rejectReason}</p>}</>
      ) },
      { header: t('signatures.file'), cell: (s) => (
        <>
          <SignedFile signature={s} onOpened={() => setOpened((ids) => new Set(ids).add(s.id))} />
          {s.status === 'submitted' && has('dsi') && (
            <SignatureDecision signature={s} document={documentLabel(t, byId.get(s.documentId))} company={company} opened={opened.has(s.id)} onDone={onChange} />
          )}
        </>
      ) },
    ]} />
  );
}

/**
 * Upload of a signed company document (charter, RGPD clauses, referential) by the contractor's
 * security contact or legal representative, or by the DSI for a paper original. R-ART2: signed
 * by the declared legal representative, every page initialled.
 */
export function SignDocumentForm({ contractorId, documents, legalRep, onDone }: {
  contractorId: string; documents: DocumentVersion[]; legalRep?: Contact; onDone: () => void;
}) {
  const { t } = useI18n();
  const form = useForm();
  const company = [...currentDocuments(documents).values()].filter((d) => d.kind !== 'access_convention');
  if (!company.length) return <Empty>{t('sign.noDocument')}</Empty>;
  return (
    <form className="subform" noValidate onSubmit={form.onSubmit(async (_values, element) => {
      await ok(api.POST('/v1/contractors/{id}/signatures', { ...at(contractorId), body: multipart(formData(element)) }));
      element.reset();
      onDone();
    }, { success: t('sign.sent') })}>
      <h3>{t('sign.title')}</h3>
      <p className="muted">{t('sign.help')}</p>
      <DocumentLinks documents={company} />
      <FormStatus form={form} />
      <Select form={form} name="documentId" label={t('signatures.document')} required options={company.map((d) => ({ value: d.id, label: documentLabel(t, d) }))} />
      <SignerFields form={form} firstName={legalRep?.firstName} lastName={legalRep?.lastName} signerFunction={legalRep?.function ?? ''} />
      <Submit form={form}>{t('sign.submit')}</Submit>
    </form>
  );
}

/** The originals to print and sign. */
export function DocumentLinks({ documents }: { documents: DocumentVersion[] }) {
  const { t } = useI18n();
  const [problem, setProblem] = useState<Problem | null>(null);
  const fetchOriginal = async (d: DocumentVersion) => {
    setProblem(null);
    try {
      saveFile(await download(`/v1/documents/${d.id}/file`));
    } catch (error) {
      setProblem(asProblem(error, t));
    }
  };
  return (
    <div>
      <ul className="plain">
        {documents.map((d) => (
          <li key={d.id}><button type="button" className="link" onClick={() => void fetchOriginal(d)}>{t('sign.original', { name: documentLabel(t, d) })}</button></li>
        ))}
      </ul>
      <ProblemBox problem={problem} />
    </div>
  );
}

/** R-ART2: who signed, when, the statement that every page is initialled, and the signed PDF. */
export function SignerFields({ form, firstName, lastName, signerFunction }: { form: FormState; firstName?: string; lastName?: string; signerFunction?: string }) {
  const { t } = useI18n();
  return (
    <>
      <div className="grid2">
        <Field form={form} name="signerFirstName" label={t('field.signerFirstName')} required defaultValue={firstName} />
        <Field form={form} name="signerLastName" label={t('field.signerLastName')} required defaultValue={lastName} />
        {signerFunction !== undefined && <Field form={form} name="signerFunction" label={t('field.signerFunction')} required defaultValue={signerFunction} />}
        <Field form={form} name="signedOn" label={t('field.signedOn')} type="date" required defaultValue={todayIso()} />
      </div>
      <Checkbox form={form} name="allPagesInitialled" label={t('field.allPagesInitialled')} />
      <Field form={form} name="file" label={t('field.signedPdf')} type="file" accept="application/pdf" required />
    </>
  );
}
