import { FormEvent, ReactNode, useId } from 'react';
import { useI18n } from './i18n';

/** A filter's choices: its value (the API's code) and its label. */
export type Choice = { value: string; label: string };

/** A select of a filter bar; the empty choice means "all". */
export function FilterSelect({ name, label, options, all, defaultValue = '' }: {
  name: string; label: string; options: readonly Choice[]; all?: string; defaultValue?: string;
}) {
  const { t } = useI18n();
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={defaultValue}>
        <option value="">{all ?? t('filter.all')}</option>
        {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
    </div>
  );
}

/** The period of a filter bar: two local date-times, sent as instants. */
export function FilterPeriod() {
  const { t } = useI18n();
  const id = useId();
  return (
    <>
      <div className="field"><label htmlFor={`${id}-from`}>{t('filter.from')}</label><input id={`${id}-from`} name="from" type="datetime-local" /></div>
      <div className="field"><label htmlFor={`${id}-to`}>{t('filter.to')}</label><input id={`${id}-to`} name="to" type="datetime-local" /></div>
    </>
  );
}

/** A filter bar: on submit, its fields as the API's query (empty ones left out, `from` and `to` as ISO instants). */
export function FilterBar({ onFilter, children }: { onFilter: (query: Record<string, string | undefined>) => void; children: ReactNode }) {
  const { t } = useI18n();
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const query: Record<string, string | undefined> = {};
    new FormData(e.currentTarget).forEach((value, name) => {
      const text = String(value).trim();
      query[name] = !text ? undefined : name === 'from' || name === 'to' ? new Date(text).toISOString() : text;
    });
    onFilter(query);
  };
  return (
    <form className="filters" role="search" onSubmit={submit}>
      {children}
      <button type="submit">{t('filter.apply')}</button>
    </form>
  );
}
