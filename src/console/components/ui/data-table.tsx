/**
 * A sortable, virtualised table over rows loaded page by page from the server. Only the visible rows are in
 * the DOM, so 100 000 loaded rows scroll as smoothly as 50; reaching the end loads the next page.
 * Columns in `serverSortable` are sorted by the API (the query reloads in that order); any other column
 * reorders the rows loaded so far. The footer says how many of the total are loaded.
 */
import {
  flexRender,
  getCoreRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type OnChangeFn,
  type Row,
  type SortingState,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import { formatCount } from '../../lib/format';

type Props<T> = {
  caption: string;
  // TanStack's documented typing for mixed value types: column defs are invariant in their value type.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  columns: ColumnDef<T, any>[];
  rows: T[];
  total: number;
  getRowId: (row: T) => string;
  sorting: SortingState;
  onSortingChange: OnChangeFn<SortingState>;
  /**
   * Columns the server sorts on (the query already carries the order): sorting one of them reloads instead of
   * reordering the loaded rows. Other columns sort what is loaded.
   */
  serverSortable?: ReadonlySet<string>;
  onOpen?: (row: T) => void;
  selectedId?: string | null;
  hasMore: boolean;
  isLoadingMore: boolean;
  onLoadMore: () => void;
  height?: string;
};

const ROW_HEIGHT = 37;

export function DataTable<T>(props: Props<T>) {
  const { rows, columns, sorting, onSortingChange, hasMore, isLoadingMore, onLoadMore } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  // TanStack Table returns functions that are not memo-safe; the React Compiler lint knows this.
  const isServerSorted = sorting.length > 0 && sorting.every((s) => props.serverSortable?.has(s.id) === true);
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({
    data: rows,
    columns,
    state: { sorting },
    onSortingChange,
    getRowId: props.getRowId,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    manualSorting: isServerSorted,
  });
  const tableRows = table.getRowModel().rows;
  const virtualizer = useVirtualizer({
    count: tableRows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const last = items.at(-1);
  const isNearEnd = last !== undefined && last.index >= tableRows.length - 20;
  // Loading the next page is a side effect of what is on screen: an effect, not render work.
  useEffect(() => {
    if (isNearEnd && hasMore && !isLoadingMore) onLoadMore();
  }, [isNearEnd, hasMore, isLoadingMore, onLoadMore]);
  const paddingTop = items[0]?.start ?? 0;
  const paddingBottom = last ? virtualizer.getTotalSize() - last.end : 0;

  const openRow = (row: Row<T>) => props.onOpen?.(row.original);

  return (
    <div className="rounded-lg border border-slate-200 dark:border-slate-800">
      <div
        ref={scrollRef}
        className="overflow-auto"
        style={{ height: props.height ?? 'min(60vh, 40rem)' }}
        tabIndex={0}
        role="region"
        aria-label={`${props.caption} (scrollable)`}
      >
        <table className="w-full border-collapse text-left text-sm">
          <caption className="sr-only">{props.caption}</caption>
          <thead className="sticky top-0 z-10 bg-slate-50 dark:bg-slate-900">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      aria-sort={
                        sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined
                      }
                      className="whitespace-nowrap border-b border-slate-200 px-3 py-2 text-xs font-semibold text-slate-700 dark:border-slate-800 dark:text-slate-300"
                    >
                      {header.column.getCanSort() ? (
                        <button
                          type="button"
                          onClick={header.column.getToggleSortingHandler()}
                          className="inline-flex items-center gap-1 hover:underline"
                        >
                          {flexRender(header.column.columnDef.header, header.getContext())}
                          <span aria-hidden="true">
                            {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : '↕'}
                          </span>
                        </button>
                      ) : (
                        flexRender(header.column.columnDef.header, header.getContext())
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {paddingTop > 0 ? (
              <tr aria-hidden="true">
                <td style={{ height: paddingTop }} />
              </tr>
            ) : null}
            {items.map((item) => {
              const row = tableRows[item.index];
              if (!row) return null;
              const isSelected = props.selectedId === row.id;
              return (
                <tr
                  key={row.id}
                  data-index={item.index}
                  aria-selected={isSelected}
                  onClick={() => openRow(row)}
                  className={`cursor-pointer border-b border-slate-100 hover:bg-slate-50 dark:border-slate-800/60 dark:hover:bg-slate-800/50 ${isSelected ? 'bg-teal-50 dark:bg-teal-950/40' : ''}`}
                  style={{ height: ROW_HEIGHT }}
                >
                  {row.getVisibleCells().map((cell) => (
                    <td key={cell.id} className="max-w-[28rem] truncate whitespace-nowrap px-3 py-1.5">
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </td>
                  ))}
                </tr>
              );
            })}
            {paddingBottom > 0 ? (
              <tr aria-hidden="true">
                <td style={{ height: paddingBottom }} />
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <p
        className="border-t border-slate-200 px-3 py-1.5 text-xs text-slate-600 dark:border-slate-800 dark:text-slate-400"
        aria-live="polite"
      >
        {formatCount(rows.length)} of {formatCount(props.total)} loaded
        {isLoadingMore ? ' · loading more…' : hasMore ? ' · scroll to load more' : ''}
        {sorting.length > 0 && hasMore && !isServerSorted ? ' · sorting applies to the loaded rows' : ''}
      </p>
    </div>
  );
}
