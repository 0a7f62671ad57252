import { DependencyList, ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, download, ok, PageLoader, pageOf, Problem, saveFile } from './api';
import { asProblem, useForm } from './forms';
import { useI18n } from './i18n';

export interface Loaded<T> {
  data: T | undefined;
  problem: Problem | null;
  loading: boolean;
  reload(): void;
}

/** A setting the establishment may not have made yet (the directory connector, the OpenID provider): its 404 read as null. */
export async function unlessMissing<T>(load: Promise<T>): Promise<T | null> {
  try {
    return await load;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

/** Loads on mount and whenever `deps` change; `reload()` after an action. */
export function useLoad<T>(load: () => Promise<T>, deps: DependencyList): Loaded<T> {
  const { t } = useI18n();
  const [state, setState] = useState<{ data?: T; problem: Problem | null; loading: boolean }>({ problem: null, loading: true });
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, problem: null, loading: false }),
      (error: unknown) => live && setState({ problem: asProblem(error, t), loading: false }),
    );
    return () => { live = false; };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, version]);
  return { ...state, data: state.data, reload: useCallback(() => setVersion((v) => v + 1), []) };
}

export interface Paged<T> {
  items: T[];
  problem: Problem | null;
  loading: boolean;
  hasMore: boolean;
  more(): void;
  reload(): void;
}

/** Loads one page of a list: the cursor (undefined for the first) and the page size. */
export type PagedLoader<T> = (cursor: string | undefined, limit: number) => ReturnType<PageLoader<T>>;

/** A list of the API page by page (`{items, nextCursor}`, or a plain array): "show more" appends the next page. */
export function usePaged<T>(load: PagedLoader<T>, deps: DependencyList, pageSize = 50): Paged<T> {
  const { t } = useI18n();
  const key = JSON.stringify([...deps, pageSize]);
  const [state, setState] = useState<{ items: T[]; cursor: string | null; problem: Problem | null; loading: boolean }>({ items: [], cursor: null, problem: null, loading: true });
  const [version, setVersion] = useState(0);
  const current = useRef(key);
  const fetchPage = useCallback(async (cursor: string | null, append: boolean) => {
    const requested = key;
    setState((s) => ({ ...s, loading: true }));
    try {
      const page = pageOf(await ok(load(cursor ?? undefined, pageSize)));
      if (current.current !== requested) return;
      setState((s) => ({ items: append ? [...s.items, ...page.items] : page.items, cursor: page.nextCursor, problem: null, loading: false }));
    } catch (error) {
      if (current.current === requested) setState((s) => ({ ...s, problem: asProblem(error, t), loading: false }));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  useEffect(() => {
    current.current = key;
    void fetchPage(null, false);
  }, [key, version, fetchPage]);
  return {
    items: state.items, problem: state.problem, loading: state.loading, hasMore: state.cursor !== null,
    more: () => void fetchPage(state.cursor, true),
    reload: () => setVersion((v) => v + 1),
  };
}

export function MoreButton({ paged }: { paged: Paged<unknown> }) {
  const { t } = useI18n();
  if (!paged.hasMore) return null;
  return <button type="button" onClick={paged.more} disabled={paged.loading}>{t('list.more')}</button>;
}

export function ProblemBox({ problem }: { problem: Problem | null }) {
  const { t } = useI18n();
  if (!problem) return null;
  return <div className="alert alert-error" role="alert"><p>{problem.detail || problem.title || t('error.generic')}</p></div>;
}

export function Loading({ when }: { when: boolean }) {
  const { t } = useI18n();
  return when ? <p className="muted" role="status">{t('loading')}</p> : null;
}

export function Badge({ tone = 'neutral', children }: { tone?: 'ok' | 'warn' | 'bad' | 'neutral' | 'info'; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

/** The badge tone of a person's status. */
export function personTone(status: string): 'ok' | 'info' | 'neutral' {
  return status === 'active' ? 'ok' : status === 'invited' ? 'info' : 'neutral';
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

export function Section({ title, id, actions, children }: { title: ReactNode; id?: string; actions?: ReactNode; children: ReactNode }) {
  return (
    <section className="card" id={id} aria-labelledby={id ? `${id}-title` : undefined}>
      <div className="card-head">
        <h2 id={id ? `${id}-title` : undefined}>{title}</h2>
        {actions && <div className="card-actions">{actions}</div>}
      </div>
      {children}
    </section>
  );
}

/** Progress of a long operation; indeterminate when the total is unknown. */
export function Progress({ label, received, total }: { label: string; received: number; total: number | null }) {
  const { t } = useI18n();
  const size = (n: number) => (n < 1024 * 1024 ? `${Math.round(n / 1024)} kio` : `${(n / 1024 / 1024).toFixed(1)} Mio`);
  return (
    <div className="progress" role="status" aria-live="polite">
      <label>
        {label}
        <progress value={total ? received : undefined} max={total ?? undefined} />
      </label>
      <span className="muted">{total ? t('progress.of', { received: size(received), total: size(total) }) : t('progress.received', { received: size(received) })}</span>
    </div>
  );
}

/** A file behind the token (export, evidence, signed document), downloaded with its progress shown. */
export function DownloadButton({ path, label, onDone }: { path: string; label: string; onDone?: () => void }) {
  const { t } = useI18n();
  const [progress, setProgress] = useState<{ received: number; total: number | null } | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const start = async () => {
    setProblem(null);
    setProgress({ received: 0, total: null });
    try {
      saveFile(await download(path, (received, total) => setProgress({ received, total })));
      onDone?.();
    } catch (error) {
      setProblem(asProblem(error, t));
    } finally {
      setProgress(null);
    }
  };
  return (
    <span className="download">
      <button type="button" onClick={() => void start()} disabled={progress !== null}>{label}</button>
      {progress && <Progress label={t('progress.downloading')} received={progress.received} total={progress.total} />}
      <ProblemBox problem={problem} />
    </span>
  );
}

export function PageTitle({ children, actions }: { children: ReactNode; actions?: ReactNode }) {
  useEffect(() => {
    document.title = `${typeof children === 'string' ? children : 'Prestagate'} · Prestagate`;
  }, [children]);
  return (
    <div className="page-head">
      <h1 tabIndex={-1}>{children}</h1>
      {actions && <div className="page-actions">{actions}</div>}
    </div>
  );
}

/** Today in the browser's time zone, as a calendar date (YYYY-MM-DD). */
export function todayIso(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

/** An instant as a `datetime-local` input shows it, in the browser's time zone (`2026-12-24T18:00`); '' when it is not one. */
export function localDateTimeInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`;
}

/**
 * A form or detail folded under its summary; open at first when `initiallyOpen` (nothing declared yet),
 * then as the person leaves it: saving does not fold away the success line.
 */
export function Disclosure({ summary, initiallyOpen = false, children }: { summary: ReactNode; initiallyOpen?: boolean; children: ReactNode }) {
  const [open, setOpen] = useState(initiallyOpen);
  return (
    <details open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{summary}</summary>
      {children}
    </details>
  );
}

/** What a connection test answers: each step in order, the first failure last, with the remote side's words. */
export interface StepsResult<S extends string> { ok: boolean; steps: { step: S; ok: boolean; detail?: string | null }[] }

/**
 * A "test the connection" button (the directory, the OpenID provider): the step that failed said in the console's words,
 * with the remote side's own answer underneath, verbatim (the DSI searches it in that product's documentation).
 */
export function StepsTest<S extends string>({ label, okText, saidText, stepText, run }: {
  label: string; okText: string; saidText: string; stepText: (step: S) => string; run: () => Promise<StepsResult<S>>;
}) {
  const form = useForm();
  const [result, setResult] = useState<StepsResult<S> | null>(null);
  const failed = result?.steps.find((s) => !s.ok);
  return (
    <>
      <button type="button" disabled={form.busy} onClick={() => void form.run(async () => setResult(await run()))}>{label}</button>
      <ProblemBox problem={form.problem} />
      {result?.ok && <p><Badge tone="ok">OK</Badge> {okText}</p>}
      {failed && (
        <div className="alert alert-error" role="alert">
          <p><strong>{stepText(failed.step)}</strong></p>
          {failed.detail && <p>{saidText} <q translate="no">{failed.detail}</q></p>}
        </div>
      )}
    </>
  );
}
