import type { ReactNode } from 'react';

export interface InsetTextProps {
  children: ReactNode;
}

/** nhsuk inset text: a note that stands out from the text around it. */
export function InsetText({ children }: InsetTextProps) {
  return (
    <div className="nhsuk-inset-text">
      <span className="nhsuk-u-visually-hidden">Information: </span>
      {children}
    </div>
  );
}
