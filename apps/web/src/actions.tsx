import { useId, useState } from 'react';
import { post } from './api';
import { FormState, FormStatus, useForm } from './forms';
import { useI18n } from './i18n';

/** A button that asks for a reason before acting (reject, suspend, revoke, end...). */
export function RejectWithReason({ label, onReject }: { label: string; onReject: (reason: string) => Promise<boolean> }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const id = useId();
  if (!open) return <button type="button" className="danger" onClick={() => setOpen(true)}>{label}</button>;
  return (
    <form className="inline-reason" onSubmit={(e) => { e.preventDefault(); void onReject(reason).then((ok) => ok && setOpen(false)); }}>
      <label htmlFor={id}>{t('field.reason')}</label>
      <input id={id} value={reason} onChange={(e) => setReason(e.target.value)} required minLength={3} autoFocus />
      <button type="submit" className="danger">{label}</button>
      <button type="button" onClick={() => setOpen(false)}>{t('action.cancel')}</button>
    </form>
  );
}

/** POST `path` with `{reason}` through `form` (its outcome, `success` if given, shown by the caller's FormStatus), then `onDone`. */
export function ReasonAction({ form, label, path, onDone, success }: { form: FormState; label: string; path: string; onDone: () => void; success?: string }) {
  return (
    <RejectWithReason label={label} onReject={(reason) => form.run(() => post(path, { reason }), success).then((ok) => {
      if (ok) onDone();
      return ok;
    })} />
  );
}

/** The DSI's decision on a request: `{path}/approve`, or `{path}/reject` with a reason. */
export function ApproveReject({ path, onDone }: { path: string; onDone: () => void }) {
  const { t } = useI18n();
  const form = useForm();
  return (
    <>
      <div className="row">
        <button type="button" className="primary" disabled={form.busy}
          onClick={() => void form.run(() => post(`${path}/approve`)).then((ok) => ok && onDone())}>{t('action.approve')}</button>
        <ReasonAction form={form} label={t('action.reject')} path={`${path}/reject`} onDone={onDone} />
      </div>
      <FormStatus form={form} />
    </>
  );
}
