import {
  FormEvent, InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes, useCallback, useEffect, useId, useRef, useState,
} from 'react';
import { ApiError, Problem } from './api';
import { readForm, Values } from './form-values';
import { Translate, useI18n } from './i18n';

export type { Values } from './form-values';
export { formData, readForm } from './form-values';

/** A form's values as the body of a route: the field names are the DTO's, which the API checks (its errors shown beside them). */
export function formBody<T>(values: Values): NonNullable<T> {
  return values as NonNullable<T>;
}

/** Where the error summary sends the person: the control to focus, and its label. */
export interface FieldTarget {
  id: string;
  label: ReactNode;
}

/**
 * The state of one form (or one action button): busy while the API answers, then either done
 * (a success line) or the API's problem: its `detail` in an alert region, each of its `errors: [{field, message}]`
 * next to the field of that name (the API's dotted path) and in the error summary (`FormStatus`).
 */
export interface FormState {
  busy: boolean;
  problem: Problem | null;
  done: string | null;
  errorOf(field: string): string | undefined;
  /** Fields rendered by this form, by the API's name: their errors are shown beside them and linked from the summary. */
  fields: Map<string, FieldTarget>;
  onSubmit(handler: (values: Values, form: HTMLFormElement) => Promise<unknown>, options?: { success?: string; reset?: boolean }): (event: FormEvent<HTMLFormElement>) => void;
  /** The usual form: its values sent (`send`), then `then` (a list reloaded), a success line, the form emptied. */
  onSend(send: (values: Values) => Promise<unknown>, then: () => void, success: string): (event: FormEvent<HTMLFormElement>) => void;
  run(action: () => Promise<unknown>, success?: string): Promise<boolean>;
  clear(): void;
}

/** An error as the problem to show; no answer, or a 503 (R-INT: the service is away, the session stays), in the person's language. */
export function asProblem(error: unknown, t: Translate): Problem {
  if (error instanceof ApiError && error.status === 0) return { ...error.problem, detail: t('error.network') };
  if (error instanceof ApiError && error.status === 503) return { ...error.problem, detail: t('error.unavailable') };
  if (error instanceof ApiError) return error.problem;
  return { type: 'about:blank', title: 'Error', status: 0, code: 'CLIENT', detail: error instanceof Error ? error.message : String(error) };
}

export function useForm(): FormState {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const fields = useRef(new Map<string, FieldTarget>()).current;

  const run = useCallback(async (action: () => Promise<unknown>, success?: string) => {
    setBusy(true);
    setProblem(null);
    setDone(null);
    try {
      await action();
      setDone(success ?? null);
      return true;
    } catch (error) {
      setProblem(asProblem(error, t));
      return false;
    } finally {
      setBusy(false);
    }
  }, [t]);

  const onSubmit: FormState['onSubmit'] = (handler, options = {}) => (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    void run(() => handler(readForm(form), form), options.success).then((ok) => {
      if (ok && options.reset) form.reset();
    });
  };

  return {
    busy, problem, done, fields, run, onSubmit,
    onSend: (send, then, success) => onSubmit(async (values) => {
      await send(values);
      then();
    }, { success, reset: true }),
    clear: () => { setProblem(null); setDone(null); },
    errorOf: (field) => {
      const messages = problem?.errors?.filter((e) => e.field === field).map((e) => e.message);
      return messages?.length ? messages.join('; ') : undefined;
    },
  };
}

interface ShellProps {
  form: FormState;
  name: string;
  /** Other names the API may give this field's problems (the password policy says `password` for a `newPassword`). */
  also?: string[];
  label: ReactNode;
  hint?: ReactNode;
  required?: boolean;
  children: (control: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
  className?: string;
}

/** Label, control, hint and the API's message for this field, tied together for screen readers. */
function FieldShell({ form, name, also = [], label, hint, required, children, className }: ShellProps) {
  const id = useId();
  for (const n of [name, ...also]) form.fields.set(n, { id, label });
  const error = [name, ...also].map((n) => form.errorOf(n)).filter(Boolean).join('; ') || undefined;
  const describedBy = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field-invalid' : ''}${className ? ` ${className}` : ''}`}>
      <span className="label-line">
        <label htmlFor={id}>{label}</label>
        {required && <span className="required" aria-hidden="true">*</span>}
      </span>
      {children({ id, describedBy, invalid: !!error })}
      {hint && <p id={`${id}-hint`} className="hint">{hint}</p>}
      {error && <p id={`${id}-error`} className="field-error">{error}</p>}
    </div>
  );
}

type Common = { form: FormState; name: string; label: ReactNode; hint?: ReactNode; className?: string };

export function Field({ form, name, also, label, hint, className, ...input }: Common & { also?: string[] } & Omit<InputHTMLAttributes<HTMLInputElement>, 'name' | 'form'>) {
  return (
    <FieldShell form={form} name={name} also={also} label={label} hint={hint} required={input.required} className={className}>
      {({ id, describedBy, invalid }) => <input id={id} name={name} aria-invalid={invalid || undefined} aria-describedby={describedBy} {...input} />}
    </FieldShell>
  );
}

export function TextArea({ form, name, label, hint, className, ...input }: Common & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'name' | 'form'> & { 'data-kind'?: string }) {
  return (
    <FieldShell form={form} name={name} label={label} hint={hint} required={input.required} className={className}>
      {({ id, describedBy, invalid }) => <textarea id={id} name={name} rows={3} aria-invalid={invalid || undefined} aria-describedby={describedBy} {...input} />}
    </FieldShell>
  );
}

export function Select({ form, name, label, hint, className, options, placeholder, ...input }: Common & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'name' | 'form'> & {
  options: { value: string; label: string }[];
  placeholder?: string;
}) {
  return (
    <FieldShell form={form} name={name} label={label} hint={hint} required={input.required} className={className}>
      {({ id, describedBy, invalid }) => (
        <select id={id} name={name} aria-invalid={invalid || undefined} aria-describedby={describedBy} {...input}>
          {placeholder !== undefined && <option value="">{placeholder}</option>}
          {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
        </select>
      )}
    </FieldShell>
  );
}

/** A yes/no question sent as a boolean. */
export function Checkbox({ form, name, label, hint, ...input }: Common & Omit<InputHTMLAttributes<HTMLInputElement>, 'name' | 'form' | 'type'>) {
  const id = useId();
  form.fields.set(name, { id, label });
  const error = form.errorOf(name);
  const describedBy = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field field-check${error ? ' field-invalid' : ''}`}>
      <input id={id} type="checkbox" name={name} data-kind="bool" aria-invalid={!!error || undefined} aria-describedby={describedBy} {...input} />
      <label htmlFor={id}>{label}</label>
      {hint && <p id={`${id}-hint`} className="hint">{hint}</p>}
      {error && <p id={`${id}-error`} className="field-error">{error}</p>}
    </div>
  );
}

/** Several choices sent as an array (accounts and resources of a window...). */
export function CheckboxGroup({ form, name, legend, options, hint, defaultChecked = [] }: {
  form: FormState; name: string; legend: ReactNode; hint?: ReactNode; defaultChecked?: string[];
  options: { value: string; label: ReactNode }[];
}) {
  const id = useId();
  form.fields.set(name, { id: `${id}-0`, label: legend });
  const error = form.errorOf(name);
  const describedBy = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(' ') || undefined;
  return (
    <fieldset className={`field checkbox-group${error ? ' field-invalid' : ''}`} aria-describedby={describedBy}>
      <legend>{legend}</legend>
      {options.map((o, i) => (
        <label key={o.value} className="check">
          <input id={`${id}-${i}`} type="checkbox" name={name} value={o.value} data-kind="list"
            defaultChecked={defaultChecked.includes(o.value)} /> {o.label}
        </label>
      ))}
      {hint && <p id={`${id}-hint`} className="hint">{hint}</p>}
      {error && <p id={`${id}-error`} className="field-error">{error}</p>}
    </fieldset>
  );
}

/**
 * The form's outcome. A refusal with field errors is an error summary, as French public services show it (DSFR):
 * a count, the API's detail, then each error as a link to its field; the summary takes the focus when it appears.
 */
export function FormStatus({ form }: { form: FormState }) {
  const { t } = useI18n();
  const titleId = useId();
  const box = useRef<HTMLDivElement>(null);
  const problem = form.problem;
  const errors = problem?.errors ?? [];
  const summary = errors.length > 0;
  useEffect(() => {
    if (problem && summary) box.current?.focus();
  }, [problem, summary]);
  if (problem) {
    return (
      <div ref={box} className={`alert alert-error${summary ? ' error-summary' : ''}`} role="alert" tabIndex={summary ? -1 : undefined}
        aria-labelledby={summary ? titleId : undefined}>
        {summary && <h2 id={titleId}>{t(errors.length === 1 ? 'form.oneError' : 'form.errors', { count: errors.length })}</h2>}
        <p>{problem.detail || problem.title || t('error.generic')}</p>
        {summary && <ul>{errors.map((e, i) => (
          <li key={i}><ErrorLink form={form} field={e.field} message={e.message} /></li>
        ))}</ul>}
        {problem.missing && problem.missing.length > 0 && <ul>{problem.missing.map((m) => <li key={m.code}>{m.detail}</li>)}</ul>}
      </div>
    );
  }
  if (form.done) return <p className="alert alert-success" role="status">{form.done}</p>;
  return null;
}

/**
 * One error of the summary: a link "label : message" that focuses its field; for a group of fields (`securityDeputy`
 * for `securityDeputy.email`...), the message links to the group's first field; a field the form does not show, the message.
 */
function ErrorLink({ form, field, message }: { form: FormState; field: string; message: string }) {
  const exact = form.fields.get(field);
  const target = exact ?? [...form.fields].find(([name]) => name.startsWith(`${field}.`))?.[1];
  if (!target) return <>{message}</>;
  const focus = (event: { preventDefault(): void }) => {
    event.preventDefault();
    document.getElementById(target.id)?.focus();
  };
  return <a href={`#${target.id}`} onClick={focus}>{exact && <>{exact.label}{'\u00a0'}: </>}{message}</a>;
}

export function Submit({ form, children, className }: { form: FormState; children: ReactNode; className?: string }) {
  return <button type="submit" className={className ?? 'primary'} disabled={form.busy} aria-busy={form.busy || undefined}>{children}</button>;
}
