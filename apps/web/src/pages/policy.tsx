import { FormEvent, ReactNode, useEffect, useRef, useState } from 'react';
import { api, Blackout, ok, TenantPolicy } from '../api';
import { Checkbox, CheckboxGroup, Field, formBody, FormState, FormStatus, readForm, Select, Submit, useForm, Values } from '../forms';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { Loading, PageTitle, ProblemBox, localDateTimeInput, useLoad } from '../ui';

/** The policy's numbers: what the form reads as text is sent as a number when it is one (the API says why anything else is refused). */
const NUMBERS = [
  'reportDeadlineBusinessDays', 'reviewPeriodMonths', 'reviewGraceDays', 'logRetentionMonths', 'absenceSuspensionDays',
  'password.minLength', 'lockout.maxAttempts', 'lockout.durationMinutes',
];

const asNumber = (value: unknown): unknown => (value === undefined ? null : /^-?\d+$/.test(String(value).trim()) ? Number(value) : value);
const isObject = (value: unknown): value is Values => !!value && typeof value === 'object' && !Array.isArray(value);

/**
 * The form's values in the policy's shape (`readForm` gives text, dotted names as objects): numbers,
 * the weekdays and reminder days as arrays of numbers, the blackout rows as an array in screen order
 * (an empty row too, so that the API's `blackouts.<i>` messages land beside row i), no address as null.
 */
function policyValues(form: HTMLFormElement, blackoutRows: number): Values {
  const values = readForm(form);
  for (const path of NUMBERS) {
    const [head, tail] = path.split('.');
    if (tail) {
      const parent = (values[head] ??= {}) as Values;
      parent[tail] = asNumber(parent[tail]);
    } else values[head] = asNumber(values[head]);
  }
  const hours = (values.businessHours ??= {}) as Values;
  hours.days = ((hours.days as string[] | undefined) ?? []).map(Number);
  values.reviewReminderDays = String(values.reviewReminderDays ?? '').split(/[\s,;]+/).filter(Boolean).map(asNumber);
  values.reportEmail = values.reportEmail ?? null;
  const rows = (values.blackouts ?? {}) as Record<string, Partial<Blackout>>;
  values.blackouts = Array.from({ length: blackoutRows }, (_, i) => ({ label: rows[i]?.label ?? '', from: rows[i]?.from ?? '', to: rows[i]?.to ?? '' }));
  return values;
}

/** What differs from `before`: changed fields only, nested objects field by field (the API merges them), arrays whole. */
function changes(before: Values, after: Values): Values {
  const changed: Values = {};
  for (const [key, value] of Object.entries(after)) {
    if (isObject(value) && isObject(before[key])) {
      const inner = changes(before[key] as Values, value);
      if (Object.keys(inner).length) changed[key] = inner;
    } else if (JSON.stringify(value) !== JSON.stringify(before[key])) {
      changed[key] = value;
    }
  }
  return changed;
}

/**
 * R-POL: the establishment's policy (`GET|PATCH /v1/tenant/policy`). The DSI edits it; the RSSI and
 * the auditor read the same form with every control disabled. Saving sends only what changed; the
 * API validates the whole policy and its messages show beside their fields.
 */
export function PolicyPage() {
  const { t } = useI18n();
  const { has } = useSession();
  const loaded = useLoad(() => ok(api.GET('/v1/tenant/policy')), []);
  const form = useForm();
  const editable = has('dsi');
  return (
    <>
      <PageTitle>{t('policy.title')}</PageTitle>
      <p className="muted">{t('policy.intro')}</p>
      {!editable && <p className="alert alert-info">{t('policy.readOnly')}</p>}
      <ProblemBox problem={loaded.problem} />
      <Loading when={loaded.loading} />
      {loaded.data && <PolicyForm policy={loaded.data} form={form} editable={editable} />}
    </>
  );
}

function PolicyForm({ policy, form, editable }: { policy: TenantPolicy; form: FormState; editable: boolean }) {
  const { t, lang } = useI18n();
  const element = useRef<HTMLFormElement>(null);
  const [rows, setRows] = useState(() => policy.blackouts.map((b, i) => ({ key: i, initial: b as Blackout | null })));
  const nextKey = useRef(policy.blackouts.length);
  const addButton = useRef<HTMLButtonElement>(null);
  // The form as drawn from the policy, then as last saved: what the person changes is measured against it.
  const initial = useRef<Values | null>(null);
  useEffect(() => {
    if (editable && element.current) initial.current = policyValues(element.current, policy.blackouts.length);
  }, [policy, editable]);
  // A refused save: the first field the API named takes the focus (a long form; its message is beside it).
  useEffect(() => {
    if (form.problem) element.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [form.problem]);

  const weekday = new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { weekday: 'long', timeZone: 'UTC' });
  const days = [1, 2, 3, 4, 5, 6, 7].map((d) => ({ value: String(d), label: weekday.format(new Date(Date.UTC(2024, 0, d))) })); // 2024-01-01 was a Monday
  const zones = Intl.supportedValuesOf?.('timeZone') ?? [];

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const current = policyValues(event.currentTarget, rows.length);
    const changed = changes(initial.current ?? {}, current);
    if (!Object.keys(changed).length) void form.run(async () => undefined, t('policy.unchanged'));
    else void form.run(async () => {
      await ok(api.PATCH('/v1/tenant/policy', { body: formBody(changed) }));
      initial.current = current;
    }, t('policy.saved'));
  };

  const removeRow = (key: number) => {
    setRows((current) => current.filter((r) => r.key !== key));
    addButton.current?.focus();
  };

  return (
    <form ref={element} noValidate onSubmit={submit} aria-label={t('policy.title')}>
      {/* Read only: one disabled fieldset disables every control inside it. */}
      <fieldset className="bare" disabled={!editable}>
        <Part title={t('policy.reports')}>
          <Field form={form} name="reportEmail" type="email" label={t('policy.reportEmail')} hint={t('policy.reportEmailHint')} defaultValue={policy.reportEmail ?? ''} autoComplete="off" />
          <Field form={form} name="reportDeadlineBusinessDays" type="number" min={0} max={30} label={t('policy.reportDeadline')} hint={t('policy.reportDeadlineHint')} defaultValue={policy.reportDeadlineBusinessDays} />
        </Part>

        <Part title={t('policy.windows')} hint={t('policy.windowsHint')}>
          <div className="grid2">
            <Field form={form} name="businessHours.start" type="time" label={t('policy.opens')} defaultValue={policy.businessHours.start} />
            <Field form={form} name="businessHours.end" type="time" label={t('policy.closes')} defaultValue={policy.businessHours.end} />
          </div>
          <CheckboxGroup form={form} name="businessHours.days" legend={t('policy.days')} options={days} defaultChecked={policy.businessHours.days.map(String)} />
          <Field form={form} name="businessHours.timezone" label={t('policy.timezone')} hint={t('policy.timezoneHint')} defaultValue={policy.businessHours.timezone} list="policy-zones" autoComplete="off" />
          <datalist id="policy-zones">{zones.map((z) => <option key={z} value={z} />)}</datalist>
          <fieldset>
            <legend>{t('policy.blackouts')}</legend>
            <p className="hint">{t('policy.blackoutsHint')}</p>
            {!rows.length && <p className="empty">{t('policy.blackoutsNone')}</p>}
            {rows.map((row, i) => (
              <fieldset key={row.key} className="blackout">
                <legend>{t('policy.blackout', { n: i + 1 })}</legend>
                <div className="grid3">
                  <Field form={form} name={`blackouts.${i}.label`} label={t('policy.blackoutLabel')} defaultValue={row.initial?.label ?? ''} autoFocus={!row.initial} maxLength={200} />
                  <Field form={form} name={`blackouts.${i}.from`} type="datetime-local" data-kind="datetime" label={t('policy.blackoutFrom')} defaultValue={row.initial ? localDateTimeInput(row.initial.from) : ''} />
                  <Field form={form} name={`blackouts.${i}.to`} type="datetime-local" data-kind="datetime" label={t('policy.blackoutTo')} defaultValue={row.initial ? localDateTimeInput(row.initial.to) : ''} />
                </div>
                {editable && <button type="button" className="danger" aria-label={t('policy.removeBlackoutOf', { n: i + 1 })} onClick={() => removeRow(row.key)}>{t('policy.removeBlackout')}</button>}
              </fieldset>
            ))}
            {editable && (
              <button type="button" ref={addButton} onClick={() => setRows((current) => [...current, { key: nextKey.current++, initial: null }])}>
                {t('policy.addBlackout')}
              </button>
            )}
          </fieldset>
        </Part>

        <Part title={t('policy.reviews')}>
          <div className="grid2">
            <Field form={form} name="reviewPeriodMonths" type="number" min={1} max={24} label={t('policy.reviewPeriod')} hint={t('policy.reviewPeriodHint')} defaultValue={policy.reviewPeriodMonths} />
            <Field form={form} name="reviewReminderDays" label={t('policy.reviewReminders')} hint={t('policy.reviewRemindersHint')} defaultValue={policy.reviewReminderDays.join(', ')} />
            <Field form={form} name="reviewGraceDays" type="number" min={0} max={90} label={t('policy.reviewGrace')} hint={t('policy.reviewGraceHint')} defaultValue={policy.reviewGraceDays} />
          </div>
          <Select form={form} name="reviewSilence" label={t('policy.reviewSilence')} hint={t('policy.reviewSilenceHint')} defaultValue={policy.reviewSilence}
            options={(['suspend', 'deactivate'] as const).map((v) => ({ value: v, label: t(`policy.silence.${v}`) }))} />
        </Part>

        <Part title={t('policy.journal')}>
          <Field form={form} name="logRetentionMonths" type="number" min={policy.logRetentionFloorMonths} max={120} label={t('policy.retention')}
            hint={t('policy.retentionHint', { floor: policy.logRetentionFloorMonths })} defaultValue={policy.logRetentionMonths} />
        </Part>

        <Part title={t('policy.passwords')}>
          <div className="alert alert-info" role="note">
            <p><strong>{t('policy.mfa')}</strong></p>
            <p>{t('policy.mfaWhy')}</p>
          </div>
          <Field form={form} name="password.minLength" type="number" min={8} max={128} label={t('policy.minLength')} hint={t('policy.minLengthHint')} defaultValue={policy.password.minLength} />
          <fieldset>
            <legend>{t('policy.require')}</legend>
            {(['requireUpper', 'requireLower', 'requireDigit', 'requireSpecial'] as const).map((rule) => (
              <Checkbox key={rule} form={form} name={`password.${rule}`} label={t(`policy.${rule}`)} defaultChecked={policy.password[rule]} />
            ))}
          </fieldset>
          <div className="grid2">
            <Field form={form} name="lockout.maxAttempts" type="number" min={3} max={20} label={t('policy.maxAttempts')} hint={t('policy.maxAttemptsHint')} defaultValue={policy.lockout.maxAttempts} />
            <Field form={form} name="lockout.durationMinutes" type="number" min={1} max={1440} label={t('policy.lockDuration')} hint={t('policy.lockDurationHint')} defaultValue={policy.lockout.durationMinutes} />
          </div>
        </Part>

        <Part title={t('policy.absence')}>
          <Field form={form} name="absenceSuspensionDays" type="number" min={0} max={365} label={t('policy.absenceDays')} hint={t('policy.absenceDaysHint')} defaultValue={policy.absenceSuspensionDays} />
        </Part>

        <Part title={t('policy.language')}>
          <Select form={form} name="locale" label={t('policy.locale')} hint={t('policy.localeHint')} defaultValue={policy.locale}
            options={(['fr', 'en'] as const).map((v) => ({ value: v, label: t(`policy.locale.${v}`) }))} />
        </Part>
      </fieldset>
      {editable && (
        <div className="form-footer">
          <FormStatus form={form} />
          <Submit form={form}>{t('policy.save')}</Submit>
        </div>
      )}
    </form>
  );
}

/** One section of the policy: a fieldset named by its legend, which is also a heading (screen readers list both). */
function Part({ title, hint, children }: { title: string; hint?: string; children: ReactNode }) {
  return (
    <fieldset className="card policy-part">
      <legend><h2>{title}</h2></legend>
      {hint && <p className="hint">{hint}</p>}
      {children}
    </fieldset>
  );
}
