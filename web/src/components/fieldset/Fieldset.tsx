import type { ReactNode } from 'react';
import { classNames } from '../class-names';

export interface FieldsetProps {
  legend?: { text: string; size?: 's' | 'm' | 'l' | 'xl'; isPageHeading?: boolean };
  describedBy?: string;
  children: ReactNode;
  classes?: string;
}

/** nhsuk fieldset: groups related fields under one legend (a contact, a date, a choice). */
export function Fieldset({ legend, describedBy, children, classes }: FieldsetProps) {
  return (
    <fieldset className={classNames('nhsuk-fieldset', classes)} aria-describedby={describedBy}>
      {legend && (
        <legend className={classNames('nhsuk-fieldset__legend', legend.size && `nhsuk-fieldset__legend--${legend.size}`)}>
          {legend.isPageHeading ? <h1 className="nhsuk-fieldset__heading">{legend.text}</h1> : legend.text}
        </legend>
      )}
      {children}
    </fieldset>
  );
}
