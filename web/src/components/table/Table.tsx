import type { ReactNode } from 'react';

export interface TableProps {
  caption?: string;
  head: readonly string[];
  rows: readonly (readonly ReactNode[])[];
  /** The first cell of each row is the row's header. */
  firstCellIsHeader?: boolean;
  /** nhsuk responsive table: on a narrow screen each row becomes a card with the column names. */
  responsive?: boolean;
}

/** nhsuk table, responsive by default so it reads at 320 px wide. */
export function Table({ caption, head, rows, firstCellIsHeader, responsive = true }: TableProps) {
  return (
    <table className={responsive ? 'nhsuk-table-responsive' : 'nhsuk-table'} role={responsive ? 'table' : undefined}>
      {caption && <caption className="nhsuk-table__caption">{caption}</caption>}
      <thead className="nhsuk-table__head" role={responsive ? 'rowgroup' : undefined}>
        <tr className="nhsuk-table__row" role={responsive ? 'row' : undefined}>
          {head.map((heading) => (
            <th key={heading} className="nhsuk-table__header" scope="col" role={responsive ? 'columnheader' : undefined}>
              {heading}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="nhsuk-table__body">
        {rows.map((row, rowIndex) => (
          <tr className="nhsuk-table__row" key={rowIndex} role={responsive ? 'row' : undefined}>
            {row.map((cell, cellIndex) => {
              const label = responsive ? (
                <span className="nhsuk-table-responsive__heading" aria-hidden="true">
                  {head[cellIndex]}{' '}
                </span>
              ) : null;
              return firstCellIsHeader && cellIndex === 0 ? (
                <th key={cellIndex} className="nhsuk-table__header" scope="row" role={responsive ? 'rowheader' : undefined}>
                  {label}
                  {cell}
                </th>
              ) : (
                <td key={cellIndex} className="nhsuk-table__cell" role={responsive ? 'cell' : undefined}>
                  {label}
                  {cell}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
