import { useEffect, useRef, type ReactNode } from 'react';
import { Button } from '../button/Button';

export interface ConfirmActionProps {
  /** The question, as a heading: `Disable Dr Ada Lovelace?`. */
  heading: string;
  /** What will happen, and what will not. */
  children: ReactNode;
  /** The button that does it: `Yes, disable this user`. */
  confirmText: string;
  onConfirm(): void;
  onCancel(): void;
  /** While the change is being made: the buttons wait. */
  busy?: boolean;
}

/**
 * Ours (app-confirm): asks before a change that is hard to undo or locks someone out. Focus
 * moves to the question when it appears, so keyboard and screen reader users land on it; Escape
 * or "Cancel" goes back without changing anything.
 */
export function ConfirmAction({ heading, children, confirmText, onConfirm, onCancel, busy }: ConfirmActionProps) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div
      className="app-confirm nhsuk-warning-callout"
      role="group"
      aria-labelledby="confirm-heading"
      onKeyDown={(event) => {
        if (event.key === 'Escape') onCancel();
      }}
    >
      <h2 className="nhsuk-warning-callout__label" id="confirm-heading" tabIndex={-1} ref={ref}>
        {heading}
      </h2>
      {children}
      <div className="nhsuk-button-group">
        <Button variant="warning" type="button" text={confirmText} onClick={onConfirm} disabled={busy ?? false} />
        <Button variant="secondary" type="button" text="Cancel" onClick={onCancel} />
      </div>
    </div>
  );
}
