import type { ReactNode } from 'react';
import { AppLink } from '../app-link';
import { classNames } from '../class-names';

export interface SummaryListRow {
  key: { text: string };
  value: { text?: string; children?: ReactNode };
  actions?: { items: { href: string; text: string; visuallyHiddenText?: string }[] };
}

export interface SummaryListProps {
  rows: readonly SummaryListRow[];
  noBorder?: boolean;
  classes?: string;
}

/** nhsuk summary list: what was recorded, one row per question and answer. */
export function SummaryList({ rows, noBorder, classes }: SummaryListProps) {
  return (
    <dl className={classNames('nhsuk-summary-list', noBorder && 'nhsuk-summary-list--no-border', classes)}>
      {rows.map((row, index) => (
        <div className="nhsuk-summary-list__row" key={`${row.key.text}-${index}`}>
          <dt className="nhsuk-summary-list__key">{row.key.text}</dt>
          <dd className="nhsuk-summary-list__value">{row.value.children ?? row.value.text}</dd>
          {row.actions && row.actions.items.length > 0 && (
            <dd className="nhsuk-summary-list__actions">
              {row.actions.items.map((action) => (
                <AppLink href={action.href} key={action.href}>
                  {action.text}
                  {action.visuallyHiddenText && <span className="nhsuk-u-visually-hidden"> {action.visuallyHiddenText}</span>}
                </AppLink>
              ))}
            </dd>
          )}
        </div>
      ))}
    </dl>
  );
}
