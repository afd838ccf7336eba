import type { ReactNode } from 'react';
import { classNames } from './class-names';
import { ErrorMessage } from './error-message/ErrorMessage';

/** A field's label as nhsuk options give it: text, size, and whether it is the page's heading. */
export interface LabelOptions {
  text: string;
  size?: 's' | 'm' | 'l' | 'xl';
  isPageHeading?: boolean;
  classes?: string;
}

export function Label({ label, htmlFor }: { label: LabelOptions; htmlFor: string }) {
  const element = (
    <label className={classNames('nhsuk-label', label.size && `nhsuk-label--${label.size}`, label.classes)} htmlFor={htmlFor}>
      {label.text}
    </label>
  );
  return label.isPageHeading ? <h1 className="nhsuk-label-wrapper">{element}</h1> : element;
}

/** The ids that describe a field (hint, then error), for aria-describedby. */
export function describedBy(id: string, hint: unknown, errorMessage: unknown): string | undefined {
  const ids = [hint ? `${id}-hint` : undefined, errorMessage ? `${id}-error` : undefined].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

export function FieldHintAndError({ id, hint, errorMessage }: { id: string; hint?: { text: string }; errorMessage?: { text: string } }) {
  return (
    <>
      {hint && (
        <div className="nhsuk-hint" id={`${id}-hint`}>
          {hint.text}
        </div>
      )}
      {errorMessage && <ErrorMessage id={`${id}-error`} text={errorMessage.text} />}
    </>
  );
}

export function FormGroup({ error, children, classes }: { error: boolean; children: ReactNode; classes?: string }) {
  return <div className={classNames('nhsuk-form-group', error && 'nhsuk-form-group--error', classes)}>{children}</div>;
}
