import type { ReactNode } from 'react';
import { classNames } from '../class-names';

export interface DetailsProps {
  summaryText: string;
  children: ReactNode;
  /** nhsuk's expander: a details block with a border, for longer content. */
  expander?: boolean;
  open?: boolean;
}

/** nhsuk details: more that only some readers need (the codes behind a recorded value, help). */
export function Details({ summaryText, children, expander, open }: DetailsProps) {
  return (
    <details className={classNames('nhsuk-details', expander && 'nhsuk-expander')} open={open}>
      <summary className="nhsuk-details__summary">
        <span className="nhsuk-details__summary-text">{summaryText}</span>
      </summary>
      <div className="nhsuk-details__text">{children}</div>
    </details>
  );
}
