// One page of a cursor-paged connection (pools, volumes), with Previous / Next. The API pages
// forward only, so the page keeps the cursors it came through to go back.
import { useEffect, useState, type ReactNode } from 'react';
import { describeError, type ShownError } from './api';
import { ErrorLine } from './ErrorLine';
import { formatCount } from './format';

export interface Page<Row> {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: ReadonlyArray<{ node: Row }>;
}

interface Props<Row> {
  title: string;
  /** Changes when the data may have changed (a sync ended): the first page is read again. */
  version: unknown;
  pageSize: number;
  load(first: number, after: string | undefined): Promise<Page<Row>>;
  headers: readonly string[];
  row(node: Row): ReactNode[];
  rowKey(node: Row): string;
}

export function PagedTable<Row>({ title, version, pageSize, load, headers, row, rowKey }: Props<Row>) {
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const [page, setPage] = useState<Page<Row>>();
  const [error, setError] = useState<ShownError>();
  const after = cursors[cursors.length - 1];

  useEffect(() => setCursors([undefined]), [version]);
  useEffect(() => {
    let current = true;
    load(pageSize, after).then(
      (p) => current && (setPage(p), setError(undefined)),
      (err: unknown) => current && setError(describeError(err)),
    );
    return () => {
      current = false;
    };
    // Not on `load`: the parent makes a new one at every render; `version` says when to reload.
  }, [after, pageSize, version]);

  const start = (cursors.length - 1) * pageSize;
  const slug = title.toLowerCase();
  return (
    <section className="paged" data-testid={`${slug}-table`}>
      <h3>
        {title}{' '}
        <span className="muted">
          (<span data-testid={`${slug}-count`}>{page ? formatCount(page.totalCount) : '…'}</span>)
        </span>
      </h3>
      <ErrorLine error={error} />
      {page && page.edges.length > 0 && (
        <>
          <table>
            <thead>
              <tr>
                {headers.map((h) => (
                  <th key={h}>{h}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {page.edges.map(({ node }) => (
                <tr key={rowKey(node)}>
                  {row(node).map((cell, i) => (
                    <td key={headers[i]}>{cell}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <div className="pager">
            <button type="button" disabled={cursors.length === 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
              ← Previous
            </button>
            <span>
              {formatCount(start + 1)}–{formatCount(start + page.edges.length)} of {formatCount(page.totalCount)}
            </span>
            <button type="button" disabled={!page.pageInfo.hasNextPage} onClick={() => setCursors((c) => [...c, page.pageInfo.endCursor ?? undefined])}>
              Next →
            </button>
          </div>
        </>
      )}
    </section>
  );
}
