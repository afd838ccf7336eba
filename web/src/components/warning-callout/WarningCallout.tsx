import type { ReactNode } from 'react';

export interface WarningCalloutProps {
  heading: string;
  /** The heading level (h2 by default, h3 inside a section). */
  headingLevel?: 2 | 3;
  children: ReactNode;
}

/** nhsuk warning callout: something the reader must not miss (a restricted record, an overdue review). */
export function WarningCallout({ heading, headingLevel = 2, children }: WarningCalloutProps) {
  const Heading = headingLevel === 3 ? 'h3' : 'h2';
  return (
    <div className="nhsuk-warning-callout">
      <Heading className="nhsuk-warning-callout__label">
        <span role="text">
          <span className="nhsuk-u-visually-hidden">Important: </span>
          {heading}
        </span>
      </Heading>
      {children}
    </div>
  );
}
