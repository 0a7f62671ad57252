import { useId, useState } from 'react';
import { api, at, ok } from './api';
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

interface ReasonActionProps {
  form: FormState;
  label: string;
  act: (reason: string) => Promise<unknown>;
  onDone: () => void;
  success?: string;
}

/** `act(reason)` through `form` (its outcome, `success` if given, shown by the caller's FormStatus), then `onDone`. */
export function ReasonAction({ form, label, act, onDone, success }: ReasonActionProps) {
  return (
    <RejectWithReason label={label} onReject={(reason) => form.run(() => act(reason), success).then((done) => {
      if (done) onDone();
      return done;
    })} />
  );
}

/** The DSI's decisions on what a contractor requests. */
const DECISIONS = {
  account: {
    approve: (id: string) => ok(api.POST('/v1/accounts/{id}/approve', at(id))),
    reject: (id: string, reason: string) => ok(api.POST('/v1/accounts/{id}/reject', { ...at(id), body: { reason } })),
  },
  habilitation: {
    approve: (id: string) => ok(api.POST('/v1/habilitations/{id}/approve', at(id))),
    reject: (id: string, reason: string) => ok(api.POST('/v1/habilitations/{id}/reject', { ...at(id), body: { reason } })),
  },
};

/** The DSI's decision on a request: approve, or reject with a reason. */
export function ApproveReject({ kind, id, onDone }: { kind: keyof typeof DECISIONS; id: string; onDone: () => void }) {
  const { t } = useI18n();
  const form = useForm();
  return (
    <>
      <div className="row">
        <button type="button" className="primary" disabled={form.busy}
          onClick={() => void form.run(() => DECISIONS[kind].approve(id)).then((done) => done && onDone())}>{t('action.approve')}</button>
        <ReasonAction form={form} label={t('action.reject')} act={(reason) => DECISIONS[kind].reject(id, reason)} onDone={onDone} />
      </div>
      <FormStatus form={form} />
    </>
  );
}
