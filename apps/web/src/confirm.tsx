import { FormEvent, ReactNode, useEffect, useId, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { Problem } from './api';
import { asProblem } from './forms';
import { useI18n } from './i18n';
import { useLocation } from './router';
import { ProblemBox } from './ui';

/** The success line of the last binding act: announced in one polite region that outlives the row acted on. */
const listeners = new Set<(text: string | null) => void>();

export function announce(text: string | null): void {
  for (const listener of listeners) listener(text);
}

/** The polite status region of binding acts (mounted once, beside the application); a new page clears it. */
export function ActStatus() {
  const { t } = useI18n();
  const { path } = useLocation();
  const [text, setText] = useState<string | null>(null);
  useEffect(() => {
    listeners.add(setText);
    return () => { listeners.delete(setText); };
  }, []);
  useEffect(() => setText(null), [path]);
  return (
    <div className="act-status" role="status" aria-live="polite">
      {text && (
        <p className="alert alert-success">
          <span>{text}</span>
          <button type="button" className="link" onClick={() => setText(null)}>{t('act.dismiss')}</button>
        </p>
      )}
    </div>
  );
}

export interface ConfirmActionProps {
  /** The button that opens the confirmation. */
  label: string;
  /** What happens, in plain words naming the person, the company or the document (a function: read when the dialog opens). */
  consequence: ReactNode | (() => ReactNode);
  /** The dialog's heading (the button's label when absent) and its confirm button (the label when absent). */
  title?: string;
  confirmLabel?: string;
  tone?: 'primary' | 'danger';
  /** The label of a reason the act requires (a rejection, a suspension...), asked in the dialog. */
  reason?: string;
  /** The button stays disabled, `hint` says why (next to it, and as its description). */
  disabled?: boolean;
  hint?: ReactNode;
  /** More in the dialog: a summary of what will change, a statement to tick. */
  children?: ReactNode;
  /** False keeps the confirm button disabled (a statement not ticked yet). */
  ready?: boolean;
  /** The act; `false` when the caller's form shows the problem (beside its fields): the dialog just closes. */
  act: (reason: string) => Promise<unknown>;
  /** Said in the status region once the act is done (a function: read then). */
  success: string | (() => string);
  onDone?: () => void;
}

/**
 * One confirmation for every act with legal weight: a native modal dialog (focus moved into it, Escape cancels) that
 * states the consequence, then the act; its problem stays in the dialog, its success is announced politely.
 */
export function ConfirmAction(props: ConfirmActionProps) {
  const { label, consequence, title, confirmLabel, tone = 'primary', reason, disabled, hint, children, ready = true } = props;
  const { t } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const first = useRef<HTMLTextAreaElement & HTMLButtonElement>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [why, setWhy] = useState('');
  const [text, setText] = useState<ReactNode>(null);
  const id = useId();
  const open = () => {
    setProblem(null);
    setWhy('');
    setText(typeof consequence === 'function' ? consequence() : consequence);
    dialog.current?.showModal();
    first.current?.focus();
  };
  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    event.stopPropagation(); // React carries the event through the portal to the page's own form, if any.
    setBusy(true);
    setProblem(null);
    try {
      const outcome = await props.act(why.trim());
      dialog.current?.close();
      if (outcome === false) return;
      announce(typeof props.success === 'function' ? props.success() : props.success);
      props.onDone?.();
    } catch (error) {
      setProblem(asProblem(error, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" className={tone} disabled={disabled} aria-describedby={hint ? `${id}-hint` : undefined} onClick={open}>{label}</button>
      {hint && <span id={`${id}-hint`} className="muted hint">{hint}</span>}
      {/* In the body, so that its form is never nested in the page's (a departure's declaration). */}
      {createPortal(<dialog ref={dialog} className="confirm" aria-labelledby={`${id}-title`} aria-describedby={`${id}-text`}
        onCancel={(e) => busy && e.preventDefault()}>
        <form onSubmit={(e) => void confirm(e)}>
          <h2 id={`${id}-title`}>{title ?? label}</h2>
          <p id={`${id}-text`} className="consequence">{text}</p>
          {children}
          {reason && (
            <div className="field">
              <label htmlFor={`${id}-reason`}>{reason}</label>
              <textarea id={`${id}-reason`} ref={first} value={why} onChange={(e) => setWhy(e.target.value)} required minLength={3} />
            </div>
          )}
          <ProblemBox problem={problem} />
          <div className="row">
            <button type="submit" className={tone} disabled={busy || !ready || (!!reason && why.trim().length < 3)}>{confirmLabel ?? label}</button>
            <button type="button" ref={reason ? undefined : first} onClick={() => dialog.current?.close()} disabled={busy}>{t('action.cancel')}</button>
          </div>
        </form>
      </dialog>, document.body)}
    </>
  );
}
