import { ReactNode } from 'react';
import { Empty, Loaded, Loading, MoreButton, Paged, ProblemBox } from './ui';

/** One column of a table: its header and how a row fills it; `hidden` drops it (a column for one role only). */
export interface Column<T> {
  readonly header: string;
  readonly cell: (row: T) => ReactNode;
  readonly rowHeader?: boolean;
  readonly hidden?: boolean;
}

interface TableProps<T> {
  readonly columns: readonly Column<T>[];
  readonly current?: (row: T) => boolean;
  /** The table's accessible name when no heading right above names it. */
  readonly label?: string;
}

/** A table whose cells carry their column's name, so that a phone shows each row as a card instead of scrolling sideways. */
export function DataTable<T extends { id: string }>({ rows, columns, current, label }: TableProps<T> & { rows: readonly T[] }) {
  const shown = columns.filter((c) => !c.hidden);
  return (
    <table className="data-table" aria-label={label}>
      <thead><tr>{shown.map((c) => <th scope="col" key={c.header}>{c.header}</th>)}</tr></thead>
      <tbody>{rows.map((row) => (
        <tr key={row.id} aria-current={current?.(row) || undefined}>
          {shown.map((c) => c.rowHeader
            ? <th scope="row" key={c.header} data-label={c.header}>{c.cell(row)}</th>
            : <td key={c.header} data-label={c.header}>{c.cell(row)}</td>)}
        </tr>
      ))}</tbody>
    </table>
  );
}

/** A list loaded page by page: its problem, "none" when empty, the items however drawn, and "show more". */
export function PagedList<T>({ paged, empty, children }: { paged: Paged<T>; empty: ReactNode; children: (items: T[]) => ReactNode }) {
  return (
    <>
      <ProblemBox problem={paged.problem} />
      {!paged.loading && !paged.items.length && !paged.problem && <Empty>{empty}</Empty>}
      {paged.items.length > 0 && children(paged.items)}
      <Loading when={paged.loading} />
      <MoreButton paged={paged} />
    </>
  );
}

/** The usual case: a paged list drawn as a table. */
export function PagedTable<T extends { id: string }>({ paged, empty, ...table }: TableProps<T> & { paged: Paged<T>; empty: ReactNode }) {
  return <PagedList paged={paged} empty={empty}>{(rows) => <DataTable rows={rows} {...table} />}</PagedList>;
}

/** A whole list loaded at once (`useLoad`) drawn as a table. */
export function LoadedTable<T extends { id: string }>({ loaded, empty, ...table }: TableProps<T> & { loaded: Loaded<T[]>; empty: ReactNode }) {
  const rows = loaded.data ?? [];
  return (
    <>
      <ProblemBox problem={loaded.problem} />
      {loaded.data && !rows.length && <Empty>{empty}</Empty>}
      {rows.length > 0 && <DataTable rows={rows} {...table} />}
    </>
  );
}
